import { createRequire } from 'node:module';
const req = createRequire(process.cwd() + '/dist/config/selectors.js');
if (process.argv[2] === 'cjs') req('css-what').parse('a.b');
const { load } = await import('cheerio/slim');
try { console.log(load('<p class=b>x</p><div><p>y</p></div>')('div > p').text()); } catch (e) { console.log('ERR', e.message); }
const cw = await import('css-what'); console.log(Object.keys(cw));

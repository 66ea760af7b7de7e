import { createRequire } from 'node:module';
const req = createRequire(process.cwd() + '/dist/config/selectors.js');
const n = Number(process.argv[2]);
const p = import('cheerio/slim');
for (let i = 0; i < n; i++) await new Promise(r => setImmediate(r));
let rerr = null;
try { req('css-what').parse('a.b'); } catch (e) { rerr = e.message; }
try { const { load } = await p; console.log(n, rerr, load('<p class=b>x</p><div><p>y</p></div>')('div > p').text()); } catch (e) { console.log(n, rerr, 'ERR', e.message); }

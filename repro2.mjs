import { createRequire } from 'node:module';
const req = createRequire(process.cwd() + '/dist/config/selectors.js');
const mode = process.argv[2];
let p;
if (mode === 'a') { p = import('cheerio/slim'); await new Promise(r => setImmediate(r)); req('css-what').parse('a.b'); }
if (mode === 'b') { p = import('cheerio/slim'); req('css-what').parse('a.b'); }
if (mode === 'c') { p = import('css-what'); await new Promise(r => setImmediate(r)); req('css-what').parse('a.b'); await p; p = import('cheerio/slim'); }
if (mode === 'd') { for (let i=0;i<50;i++){ p = import('cheerio/slim'); await new Promise(r => setTimeout(r, i)); try { req('css-what').parse('a.b'); } catch(e) { console.log('req err', i, e.message); } } }
const { load } = await p;
try { console.log(mode, load('<p class=b>x</p><div><p>y</p></div>')('div > p').text()); } catch (e) { console.log(mode, 'ERR', e.message); }

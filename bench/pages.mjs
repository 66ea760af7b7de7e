// Deterministic fixture pages for the benchmark.
//
// buildPage(id, { size, origin }) returns { html, expected }: the same id, size
// and origin always give the same bytes, so the checker can regenerate any page
// and compare a runner's record with what the server actually sent.
//
// Every page has a <title> with an entity, a meta description, an <h1> with a
// nested element, a few `.price` elements (the first one is the expected
// value), paragraphs of text filling the page to the requested size, and a set
// of links mixing root-relative, path-relative, ../, query strings with &amp;,
// same-host absolute, external absolute and protocol-relative URLs, plus some
// mailto:/tel:/javascript: links that must NOT end up in a record's `links`.
// Every http(s) link points to a distinct URL, so whether a scraper
// de-duplicates links or not, the expected link count is the same.

const SIZES = { small: 3 * 1024, '3k': 3 * 1024, '30k': 30 * 1024, '300k': 300 * 1024 };

/** '30k' | '300k' | '3k' | 'small' | '12345' (bytes) -> bytes */
export function parseSize(size) {
  if (typeof size === 'number') return size;
  const key = String(size).toLowerCase();
  if (key in SIZES) return SIZES[key];
  const m = /^(\d+)(k|kb|m|mb)?$/.exec(key);
  if (!m) throw new Error(`bad page size: ${size}`);
  const mult = !m[2] ? 1 : m[2].startsWith('k') ? 1024 : 1024 * 1024;
  return Number(m[1]) * mult;
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore ' +
  'et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ' +
  'ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum fugiat nulla ' +
  'pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim ' +
  'id est laborum café naïve über résumé straße 東京 shipping warranty stainless steel aluminium ' +
  'lightweight durable compact wireless battery charger adapter cable premium edition bundle ' +
  'discount delivery returns customer review rating stars quality design colour size weight'
).split(' ');
const INLINE = ['&amp;', '&lt;b&gt;', '&quot;quoted&quot;', '&#169;', '&nbsp;', '—'];

function words(rand, n) {
  let s = '';
  for (let i = 0; i < n; i++) {
    if (i) s += ' ';
    s += rand() < 0.03 ? INLINE[Math.floor(rand() * INLINE.length)] : WORDS[Math.floor(rand() * WORDS.length)];
  }
  return s;
}

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The hrefs of one page: [{ href (as written in HTML), url (resolved, or null
 * when it is not http(s)), text }]. Link i always has a path or query unique
 * to i, so no two http(s) links resolve to the same URL.
 */
function makeLinks(id, origin, count, rand) {
  const links = [];
  const pageUrl = `${origin}/page/${id}`;
  for (let i = 0; i < count; i++) {
    const r = Math.floor(rand() * 100000);
    let href;
    switch (i % 10) {
      case 0: href = `/category/${i}/item-${r}`; break;
      case 1: href = `related-${i}?ref=${id}&amp;pos=${r}`; break; // path-relative with an entity
      case 2: href = `../shop/${i}/${r}.html`; break;
      case 3: href = `${origin}/page/${(id * 31 + i * 7919 + r) % 1000003}?from=${i}`; break; // same host, absolute
      case 4: href = `https://www.example.com/products/${i}-${r}`; break; // external (never fetched)
      case 5: href = `//cdn.example.net/assets/${i}/${r}.pdf`; break; // protocol-relative
      case 6: href = `./reviews/${i}?page=${r % 9}&amp;sort=new`; break;
      case 7: href = `/search?q=item+${i}&amp;n=${r}`; break;
      case 8: href = `http://blog.example.org/${2000 + (r % 25)}/${i}/post-${r}`; break;
      default: href = `/p/${i}/${r}#details`; break; // fragment on a distinct path
    }
    // What the browser / WHATWG URL parser sees after entity decoding.
    const decoded = href.replace(/&amp;/g, '&');
    links.push({ href, url: new URL(decoded, pageUrl).href, text: `${cap(WORDS[r % WORDS.length])} ${i}` });
  }
  // Links that must be left out of an http(s)-only link list.
  links.push({ href: `mailto:sales+${id}@example.com`, url: null, text: 'Email us' });
  links.push({ href: 'tel:+15550100', url: null, text: 'Call' });
  links.push({ href: 'javascript:void(0)', url: null, text: 'Print' });
  return links;
}

const cache = new Map();

/**
 * @param {number} id page id
 * @param {{ size?: string|number, origin?: string }} [opts]
 * @returns {{ html: string, expected: { url: string, title: string, h1: string, price: string,
 *   linkCount: number, sampleLinks: string[], description: string } }}
 */
export function buildPage(id, { size = '30k', origin = 'http://127.0.0.1' } = {}) {
  const target = parseSize(size);
  const rand = mulberry32(Math.imul(id + 1, 2654435761) ^ target);
  const small = target < 8 * 1024;
  const linkCount = small ? 12 : 57;
  const links = makeLinks(id, origin, linkCount, rand);
  const prices = [];
  for (let i = 0; i < (small ? 2 : 4); i++) prices.push(`$${(5 + rand() * 995).toFixed(2)}`);
  const description = `Product ${id}: ${words(rand, 14).replace(/&[^;]+;|—/g, 'and')}.`;

  const a = (l) => `<a href="${l.href}">${l.text}</a>`;
  const navLinks = links.slice(0, Math.min(12, links.length));
  const bodyLinks = links.slice(navLinks.length);

  const head =
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<title>Product ${id} &amp; Co — Bench Shop</title>\n` +
    `<meta name="description" content="${description}">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<link rel="canonical" href="${origin}/page/${id}">\n` +
    '<link rel="stylesheet" href="/static/site.css">\n' +
    '<style>body{font-family:sans-serif;margin:0}.price{font-weight:bold;color:#b12704}' +
    '.old{text-decoration:line-through}nav ul{display:flex;gap:1em}</style>\n' +
    `<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","sku":"SKU-${id}",` +
    `"name":"Product ${id}","offers":{"price":"${prices[0].slice(1)}","priceCurrency":"USD"}}</script>\n` +
    '</head>\n<body>\n<header class="site-header">\n<nav aria-label="main"><ul>\n' +
    navLinks.map((l) => `  <li class="nav-item">${a(l)}</li>\n`).join('') +
    '</ul></nav>\n</header>\n<main id="content">\n' +
    `<h1 class="product-title">Product <em>${id}</em></h1>\n` +
    '<div class="buy-box">\n' +
    `  <span class="price">${prices[0]}</span>\n  <span class="price old">${prices[1]}</span>\n` +
    '  <button type="button" class="add">Add to basket</button>\n</div>\n';

  // Body links are spread over the paragraphs; the rest goes in the footer.
  let tail = '<aside class="related">\n<h2>Related products</h2>\n<ul>\n';
  for (let i = 2; i < prices.length; i++) {
    tail += `  <li><span class="name">${cap(words(rand, 2))}</span> <span class="price">${prices[i]}</span></li>\n`;
  }
  tail += '</ul>\n</aside>\n</main>\n<footer class="site-footer">\n<p>';
  const footerLinks = bodyLinks.splice(Math.floor(bodyLinks.length / 2));
  tail += footerLinks.map(a).join(' | ');
  tail += '</p>\n<p class="legal">&#169; Bench Shop. All rights reserved.</p>\n</footer>\n' +
    '<script>window.dataLayer=window.dataLayer||[];window.dataLayer.push({page:"product"});</script>\n' +
    '</body>\n</html>\n';

  const parts = [head];
  let length = head.length + tail.length;
  let section = 0;
  // Spread the in-body links over the first paragraphs, then pad with text.
  for (let li = 0; li < bodyLinks.length || length < target; section++) {
    let p;
    if (section % 6 === 5) {
      p = `<div class="review" data-stars="${1 + (section % 5)}"><span class="author">${cap(words(rand, 2))}</span>` +
        `<p>${cap(words(rand, 30))}.</p></div>\n`;
    } else {
      p = `<p>${cap(words(rand, 40 + Math.floor(rand() * 40)))}`;
      if (li < bodyLinks.length) p += ` ${a(bodyLinks[li++])}`;
      if (li < bodyLinks.length && rand() < 0.5) p += ` and ${a(bodyLinks[li++])}`;
      p += ` ${words(rand, 12)}.</p>\n`;
    }
    parts.push(p);
    length += p.length;
  }
  parts.push(tail);
  const html = parts.join('');

  const http = links.filter((l) => l.url !== null);
  return {
    html,
    expected: {
      url: `${origin}/page/${id}`,
      title: `Product ${id} & Co — Bench Shop`,
      h1: `Product ${id}`,
      price: prices[0],
      description,
      linkCount: http.length,
      // One of each kind that needs resolving (relative, ../, &amp; query, protocol-relative).
      sampleLinks: [http[1], http[2], http[5], http[6]].filter(Boolean).map((l) => l.url),
    },
  };
}

/** Cached variant for the checker, which may ask for the same page several times. */
export function expectedFor(id, size, origin) {
  const key = `${id}|${size}|${origin}`;
  let e = cache.get(key);
  if (!e) {
    e = buildPage(id, { size, origin }).expected;
    if (cache.size > 1000) cache.clear();
    cache.set(key, e);
  }
  return e;
}

/** The page URL list, one per line: /page/0 ... /page/n-1. */
export function urlList(origin, n) {
  const lines = new Array(n);
  for (let i = 0; i < n; i++) lines[i] = `${origin}/page/${i}`;
  return `${lines.join('\n')}\n`;
}

import { type DomPath, type ExtractOptions, needsDomForEveryPage } from './extract.js';
import { parsePage, parseWithDom, type PageJob, type PageResult } from './page.js';

/** The parse stage: in this thread, or spread over worker threads. */
export interface Parser {
  parse(job: PageJob): Promise<PageResult>;
  close(): Promise<void>;
}

/** parse5 and cheerio (extract-dom.ts), imported by the first page that needs them. */
export const loadDomPath = (): Promise<DomPath> => import('./extract-dom.js').then((m) => m.extractWithDom);

interface Queued {
  job: PageJob;
  /** Set once the page came back NeedsDom: decoded, waiting for the DOM path. */
  html?: string;
  resolve: (r: PageResult) => void;
  /** A DOM path that cannot load (a broken install) fails its pages' parse(), as deferredParser does. */
  reject: (err: unknown) => void;
}

export function inlineParser(opts: ExtractOptions, loadDom: () => Promise<DomPath> = loadDomPath): Parser {
  let dom: DomPath | null = null;
  let domLoading: Promise<DomPath> | null = null;
  const loadingDom = (): Promise<DomPath> => {
    domLoading ??= loadDom().then((d) => (dom = d));
    return domLoading;
  };
  // Selectors no page can stream: every page takes the DOM path, so load it
  // now, while the first requests are in flight.
  if (needsDomForEveryPage(opts)) loadingDom().catch(() => {});

  // One page per turn of the event loop, after pending I/O. When a burst of
  // responses lands together, parsing them all in one go would leave the next
  // responses unread (and their slots unfreed) for tens of ms; one at a time,
  // the network never waits on the parser. The pages wait instead.
  const queue: Queued[] = [];
  let scheduled = false;
  const schedule = (): void => {
    if (!scheduled && queue.length > 0) {
      scheduled = true;
      setImmediate(turn);
    }
  };
  const turn = (): void => {
    scheduled = false;
    const next = queue.shift();
    if (next?.html !== undefined) next.resolve(parseWithDom(next.html, next.job.url, opts, dom!));
    else if (next) {
      const r = parsePage(next.job, opts, dom);
      if ('needsDom' in r) {
        // Back in the queue once the DOM path has loaded; pages that stream go on meanwhile.
        next.html = r.needsDom;
        loadingDom().then(() => {
          queue.push(next);
          schedule();
        }, next.reject);
      } else next.resolve(r);
    }
    schedule();
  };
  return {
    parse: (job) =>
      new Promise((resolve, reject) => {
        queue.push({ job, resolve, reject });
        schedule();
      }),
    close: async () => {},
  };
}

import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/resolve.js';
import { crawlFrontier, type CrawlFrontier } from '../input/crawl-frontier.js';
import { followLinks } from '../input/follow.js';
import { openFrontierLog } from '../input/frontier-log.js';
import type { Target, UrlTarget } from '../input/targets.js';
import type { Reporter } from '../log/reporter.js';
import { robotsTagSaysNofollow } from '../parse/robots-directives.js';
import type { KeySet } from '../record/key-set.js';
import { sourceOf } from '../schedule/window.js';
import type { Extracted } from '../record/extraction.js';
import type { FinalResponse } from '../fetch/attempt.js';
import { cannotOpen, reasonOf } from './open-error.js';

/** A crawl's hook: an HTML page was parsed, and these are its extracted fields and response. */
export type OnPage = (extracted: Extracted, response: FinalResponse) => void;

export interface Crawl {
  frontier: CrawlFrontier;
  /** What a parsed page of `target` hands the crawl. */
  onPage(target: UrlTarget): OnPage;
  /**
   * The run is over: the frontier's file is closed, and its folder removed
   * when it was a temporary one, or the default --resume one and the crawl is
   * complete (`unstopped`: no signal or deadline cut it short). An explicit
   * --state-dir is kept.
   */
  close(unstopped: boolean): void;
}

export interface CrawlOptions {
  /** --resume: the keys of the records the output file has; null otherwise. */
  finished: Pick<KeySet, 'has' | 'size'> | null;
  reporter: Reporter;
  /** --max-time's deadline; absent without it. */
  deadline?: AbortSignal | undefined;
  /** The frontier file could not be written (disk full): the message to stop the run with. */
  failed?: ((message: string) => void) | undefined;
}

/** The file in the state folder that holds the frontier (input/frontier-log.ts). */
export const FRONTIER_FILE = 'frontier';

/** --resume's state folder when --state-dir is not given: beside -o FILE, named after it. */
export function resumeStateDir(output: string): string {
  return `${output}.crawl`;
}

function hasContent(file: string): boolean {
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
}

/** Where the crawl keeps its state, and whether the folder is the run's own to remove. */
function stateFolder(config: Config): { dir: string; removable: 'always' | 'when-complete' | 'never' } {
  if (config.stateDir !== null) return { dir: config.stateDir, removable: 'never' };
  if (config.resume && config.output !== null) return { dir: resumeStateDir(config.output), removable: 'when-complete' };
  // Beside -o FILE when there is one: on the disk meant for the crawl's data, not in a /tmp that may be RAM (tmpfs).
  const prefix = config.output === null ? join(tmpdir(), 'scrape-crawl-') : `${config.output}.crawl-`;
  return { dir: mkdtempSync(prefix), removable: 'always' };
}

/**
 * --follow: the crawl's frontier over the input lines (the seeds), kept in
 * its state folder (--state-dir), and what a parsed page hands it: its links,
 * unless the response's X-Robots-Tag says nofollow (the page's own meta
 * robots and rel=nofollow are the parse stage's, follow-links.ts).
 *
 * With --resume, the folder's frontier is read again, unless the output file
 * has no record yet: then nothing was done that a fresh start would not redo,
 * and a frontier left from another crawl into that file is not mixed in.
 */
export function openCrawl(config: Config, targets: AsyncIterable<Target>, options: CrawlOptions): Crawl {
  const { dir, removable } = stateFolder(config);
  const finished = options.finished !== null && options.finished.size > 0 ? options.finished : null;
  const file = join(dir, FRONTIER_FILE);
  let log: ReturnType<typeof openFrontierLog>;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (finished && !hasContent(file)) {
      // The folder of a complete crawl is removed: what is left to do is the seeds without a record, and what they lead to.
      options.reporter.info(`no crawl state in "${dir}": the crawl is taken as complete; seeds without a record are crawled from (remove the output file to crawl afresh)`, {
        stateDir: dir,
      });
    }
    log = openFrontierLog(file, finished === null, (err) => {
      const message = `cannot write the crawl's state "${file}": ${reasonOf(err)}`;
      if (options.failed) options.failed(message);
      else throw new Error(message);
    });
  } catch (err) {
    throw cannotOpen(`the crawl's state folder "${dir}"`, err);
  }
  // A temporary folder goes at once: the open file lives on, unnamed, until the
  // run closes it or dies, so not even a kill -9 leaves it behind. (Where the
  // system will not remove an open file, as on Windows, it goes at close.)
  let gone = false;
  if (removable === 'always') {
    try {
      rmSync(dir, { recursive: true });
      gone = true;
    } catch {}
  }
  const frontier = crawlFrontier(sourceOf(targets), { maxPages: config.maxPages, log, finished, deadline: options.deadline ?? null });
  if (finished) options.reporter.info('resuming the crawl', { stateDir: dir, records: finished.size });
  return {
    frontier,
    onPage: (target) => (extracted, response) => {
      if (!config.ignoreNofollow && robotsTagSaysNofollow(response.headers?.['x-robots-tag'], config.robotsAgent)) return;
      followLinks(frontier, config, target, response.finalUrl, extracted.follow ?? []);
    },
    close(unstopped) {
      log.close();
      if (gone) return;
      if (removable === 'always' || (removable === 'when-complete' && unstopped && frontier.ended)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

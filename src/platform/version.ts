import { readFileSync } from 'node:fs';

/** Read once from package.json so `--version`, the User-Agent and the package never disagree. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const PROJECT_URL = 'https://github.com/scrape-cli/scrape';
export const DEFAULT_USER_AGENT = `scrape/${VERSION} (+${PROJECT_URL})`;

/** A problem with how scrape was invoked. Thrown only while building the config; cli/main.ts turns it into exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

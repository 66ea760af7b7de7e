/** Header names whose values never reach a log line. */
export const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization'] as const;

/** pino `redact` paths for any object that carries headers. */
export const REDACT_PATHS: string[] = SECRET_HEADERS.flatMap((h) => [
  `headers["${h}"]`,
  `*.headers["${h}"]`,
  `config.headers["${h}"]`,
]);

/**
 * A URL as scrape may show it: the password of its userinfo replaced by `***`
 * (`http://user:***@host/path`), the user name kept so two accounts stay
 * apart. Records, logs, summaries, --resume files and --cache-dir keys all
 * hold this form; the password itself lives only in the request's
 * Authorization header. A line that does not parse is masked by pattern.
 */
export function maskPassword(url: string): string {
  if (!url.includes('@')) return url;
  try {
    const u = new URL(url);
    if (u.password === '' || u.password === '***') return url;
    u.password = '***';
    return u.href;
  } catch {
    return url.replace(/(\/\/[^/@:?#]*):[^/@?#]*@/, '$1:***@');
  }
}

/** maskPassword for a URL that may be null (a record's finalUrl). */
export function scrubUrl(url: string | null): string | null {
  return url === null ? null : maskPassword(url);
}

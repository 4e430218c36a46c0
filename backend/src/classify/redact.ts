// Evidence lines end up in logs, the API and Grafana: anything that looks like a secret is masked.

const MASK = '***';

// key=value / key: value where the key looks like a password (password=, --password=, passwd=,
// MYSQL_PWD=, misspelt pasword= / --passwrod=, secret=). `(using password: YES)` carries no secret and stays.
// Trailing punctuation stays: `--pass=x: remove it` keeps its colon.
const KEY_VALUE = /\b([\w-]*(?:pas+w|pass|pwd|secret)[\w-]*)(\s*[=:]\s*)(['"]?)([^\s'"]+?)\3(?=[.,;:)]?(?:[\s'"]|$))/gi;
// `-psecret` on an echoed command line (lowercase -p only: -P is the port).
const SHORT_FLAG = /(^|\s)-p(?=\S)(\S+)/g;
const URL_CREDENTIALS = /(\b[a-z][\w+.-]*:\/\/[^\s:/@]+:)([^\s@]+)@/gi;
const QUOTED_SECRET = /\b(IDENTIFIED (?:WITH \w+ )?(?:BY|AS)\s*|PASSWORD\s*\(\s*)(['"])(?:(?!\2).)*\2/gi;

export function redact(text: string): string {
  return text
    .replace(URL_CREDENTIALS, `$1${MASK}@`)
    .replace(QUOTED_SECRET, `$1$2${MASK}$2`)
    .replace(KEY_VALUE, (whole, key: string, sep: string, quote: string, value: string) =>
      /^(?:YES|NO)$/.test(value) ? whole : `${key}${sep}${quote}${MASK}${quote}`,
    )
    .replace(SHORT_FLAG, `$1-p${MASK}`);
}

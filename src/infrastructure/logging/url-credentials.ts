// The userinfo runs to the LAST "@" of the token: a password may itself hold an unencoded "@", "/", "?"
// or "#", and none of them may end the match early (over-masking is safe, a leak is not).
const PASSWORD_IN_URL = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*):\S*@/gi;
const USERINFO_IN_URL = /(\b[a-z][a-z0-9+.-]*:\/\/)\S*@/gi;

/**
 * Masks credentials embedded in URLs inside free text, the one rule the logger, `--print-config` and the
 * MLflow error mapping share. By default the user stays visible (`https://bob:***@host`); with
 * `hideUser` the whole userinfo goes (`https://***@host`).
 *
 * @example maskUrlCredentials('GET https://bob:Xy7/Qz@mlflow.example.com/api failed', '***'); // 'GET https://bob:***@mlflow.example.com/api failed'
 */
export function maskUrlCredentials(text: string, mask: string, hideUser = false): string {
  if (!text.includes('://')) return text;
  return hideUser ? text.replace(USERINFO_IN_URL, `$1${mask}@`) : text.replace(PASSWORD_IN_URL, `$1:${mask}@`);
}

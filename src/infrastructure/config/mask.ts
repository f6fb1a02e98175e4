import { rememberedSecrets } from '../logging/known-secrets';
import { Redactor } from '../logging/redaction';
import { maskUrlCredentials } from '../logging/url-credentials';
import { isMapping } from './tree';

export const MASK = '***';

const SECRET_KEY = /secret|password|passwd|token|key|credential|authorization/i;
const SECRET_QUERY_PARAM = /secret|password|passwd|token|key|signature|sig|credential|auth/i;

/** True for keys whose values are secrets: password, token, secretAccessKey, accessKeyId, sessionToken … */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Hides credentials embedded in a URI-like string: the password of `scheme://user:pass@host` and the
 * values of query parameters such as `?token=…` or `&X-Amz-Signature=…`. Other text is unchanged.
 *
 * @example maskUri('https://bob:hunter2@mlflow.example.com/?token=abc'); // 'https://bob:***@mlflow.example.com/?token=***'
 */
export function maskUri(text: string): string {
  return maskUrlCredentials(text, MASK).replace(/([?&;])([^=&#\s]+)=([^&#\s]*)/g, (all, sep: string, name: string) =>
    SECRET_QUERY_PARAM.test(name) ? `${sep}${name}=${MASK}` : all,
  );
}

/**
 * Returns a deep copy of a configuration that is safe to print (`--print-config`). Masked by key: the
 * value of every key that names a secret becomes `***`. Masked by value: a secret (or a 4+ character
 * piece of one) anywhere else is replaced too — the values under secret keys of this config, the ones
 * given in `secrets`, and every secret the loader has seen (`.env`, environment), so
 * `experimentName: ${MLFLOW_TRACKING_TOKEN}` prints `***`. Credentials inside URIs are masked. The input
 * is not modified. Unset secrets stay unset so the output still shows what is configured.
 *
 * @example
 * maskSecrets({ tracking: { uri: 'https://u:p@host', password: 'hunter22', experimentName: 'hunter22' } });
 * // { tracking: { uri: 'https://u:***@host', password: '***', experimentName: '***' } }
 */
export function maskSecrets<T>(config: T, secrets: readonly string[] = []): T {
  const redactor = new Redactor([...secrets, ...secretValues(config), ...rememberedSecrets()]);
  return maskNode(config, false, redactor) as T;
}

/**
 * The values under secret-looking keys of a tree (what `maskSecrets` also hides wherever else they
 * appear). Before substitution a value may be `${MLFLOW_TRACKING_PASSWORD}`: only the literal text
 * around placeholders counts, so the variable's name stays readable in messages.
 */
export function secretValues(node: unknown, secret = false): string[] {
  if (Array.isArray(node)) return node.flatMap((item) => secretValues(item, secret));
  if (isMapping(node)) return Object.entries(node).flatMap(([k, v]) => secretValues(v, secret || isSecretKey(k)));
  return secret && typeof node === 'string' ? literalParts(node) : [];
}

/** `pre-${VAR}-post` → ['pre-', '-post']; parts too short to be masked are dropped. */
export function literalParts(value: string): string[] {
  return value.split(/\$\{[^}]*\}/).filter((part) => part.trim().length >= 4);
}

/** `secret` is inherited: everything under a `credentials:` mapping is masked, whatever its own key. */
function maskNode(node: unknown, secret: boolean, redactor: Redactor): unknown {
  if (Array.isArray(node)) return node.map((item) => maskNode(item, secret, redactor));
  if (isMapping(node)) {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, maskNode(v, secret || isSecretKey(k), redactor)]));
  }
  if (secret && node !== undefined && node !== null && node !== '') return MASK;
  return typeof node === 'string' ? redactor.text(maskUri(node)) : node;
}

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
 * Returns a deep copy of a configuration that is safe to print (`--print-config`): the value of every
 * key that names a secret is replaced by `***`, and credentials inside URIs are masked. The input is
 * not modified. Unset secrets stay unset so the output still shows what is configured.
 *
 * @example
 * maskSecrets({ tracking: { uri: 'https://u:p@host', password: 'p' } });
 * // { tracking: { uri: 'https://u:***@host', password: '***' } }
 */
export function maskSecrets<T>(config: T): T {
  return maskNode(config, false) as T;
}

/** `secret` is inherited: everything under a `credentials:` mapping is masked, whatever its own key. */
function maskNode(node: unknown, secret: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => maskNode(item, secret));
  if (isMapping(node)) {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, maskNode(v, secret || isSecretKey(k))]));
  }
  if (secret && node !== undefined && node !== null && node !== '') return MASK;
  return typeof node === 'string' ? maskUri(node) : node;
}

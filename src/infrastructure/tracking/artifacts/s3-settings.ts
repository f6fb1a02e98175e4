/**
 * How to reach S3 (or an S3-compatible server such as MinIO) for `s3://` artifact URIs: the config's
 * `tracking.s3` block, with MLFLOW_S3_ENDPOINT_URL, MLFLOW_S3_IGNORE_TLS and AWS_* filling what it leaves
 * unset (done by the config layer). Unset credentials fall back to the AWS SDK's default chain.
 *
 * @example
 * const s3: S3Settings = { endpointUrl: 'http://127.0.0.1:9000', accessKeyId: 'minio', secretAccessKey: '…' };
 */
export interface S3Settings {
  endpointUrl?: string;
  /** Skip certificate checks on an https endpoint (self-signed test servers only). */
  ignoreTls?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** Default 'us-east-1'. */
  region?: string;
}

export const DEFAULT_S3_REGION = 'us-east-1';

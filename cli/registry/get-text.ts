import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

/** A GET's answer: its status and its body as text. */
export interface TextAnswer {
  readonly status: number;
  readonly text: string;
}

/** The server took the request but did not answer it within the time allowed. */
export class AnswerTimeoutError extends Error {
  override readonly name = 'AnswerTimeoutError';
}

/**
 * One GET over node:http or node:https: all that meshctl's registry reads need. (undici, which
 * the agents use, is ~80 files and a WebAssembly HTTP parser to load: a third of what `meshctl
 * list` cost.) `ca`, a PEM text, is trusted besides the system's CAs. No connection is kept
 * open after the answer, so a command ends as soon as it is done.
 */
export function getText(
  url: string,
  options: {
    readonly headers: Readonly<Record<string, string>>;
    readonly timeoutMs: number;
    readonly ca?: string | undefined;
  },
): Promise<TextAnswer> {
  const target = new URL(url);
  const https = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (https ? httpsRequest : httpRequest)(
      target,
      {
        method: 'GET',
        headers: options.headers,
        agent: false,
        ...(https && options.ca !== undefined ? { ca: [...rootCertificates, options.ca] } : {}),
      },
      (response) => {
        response.setEncoding('utf8');
        let text = '';
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.once('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.once('error', reject);
      },
    );
    request.setTimeout(options.timeoutMs, () =>
      request.destroy(
        new AnswerTimeoutError(`no answer to GET ${url} within ${options.timeoutMs} ms`),
      ),
    );
    request.once('error', reject);
    request.end();
  });
}

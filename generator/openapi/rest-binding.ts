/** Where one tool argument goes in the HTTP request. */
export interface RestParameter {
  /** The name the REST service knows. */
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  /** The tool input property holding it (the same name: collisions are diagnosed). */
  readonly property: string;
}

/** How a tool's answer comes out of the HTTP response. */
export type RestOutput =
  /** The 2xx JSON body is an object: it is the structured result. */
  | 'object'
  /** The 2xx JSON body is an array or a scalar: the result is `{ result: body }`. */
  | 'wrapped'
  /** No JSON schema for the 2xx answer: the body is answered as text. */
  | 'text';

/** One operation of the REST service behind one tool. */
export interface RestOperation {
  readonly tool: string;
  readonly method: 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
  /** The path template as the document writes it, e.g. `/pets/{id}`. */
  readonly path: string;
  readonly parameters: readonly RestParameter[];
  /** Whether the tool input has a `body` (the JSON request body). */
  readonly body: boolean;
  readonly output: RestOutput;
}

/** What an agent that fronts a REST service needs beyond its metadata, to generate its tool bodies. */
export interface RestBinding {
  /** Absolute path of the OpenAPI document (its types are generated from it). */
  readonly document: string;
  /** URL of the service as the document (or its root x-mesh) gives it; may be empty. */
  readonly baseUrl: string;
  /** Environment variable that overrides `baseUrl` at run time. */
  readonly baseUrlEnv: string;
  readonly operations: readonly RestOperation[];
}

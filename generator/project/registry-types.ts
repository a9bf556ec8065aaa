import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { generatedHeader } from '../emit/header.js';
import { projectHeader } from './project-header.js';

/** The registry API's TypeScript types, from its OpenAPI document, by openapi-typescript. */
export async function emitRegistryTypes(openApiPath: string, source: string): Promise<string> {
  const ast = await openapiTS(pathToFileURL(openApiPath), {
    alphabetize: false,
    exportType: false,
  });
  return `${generatedHeader(source, projectHeader)}\n${astToString(ast)}`;
}

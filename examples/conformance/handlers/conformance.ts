// The handler bodies of agent conformance: what each server scenario of the MCP conformance suite
// (@modelcontextprotocol/conformance) checks. The scenario each body serves is named above it;
// test/conformance/run-conformance.ts runs the suite against this agent.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CompletionHandler } from '@mcp-mesh/runtime';
import { defineConformance } from '../generated/agents/conformance.js';
import { redPixelPng, redPixelPngBytes, silentWav } from '../media.js';
import { contactForm, defaultsForm, enumsForm, oneStringForm } from './elicitation-forms.js';
import {
  capitalOfFrance,
  confirmWithState,
  greetByName,
  listClientRoots,
  nameGreetingAndRoots,
  nameThenColour,
  needsSampling,
  whatTheClientCanGive,
} from './multi-round.js';

/** Completes from a fixed list: the entries that start with what was typed. */
function oneOf(values: readonly string[]): CompletionHandler {
  return (typed) => values.filter((value) => value.startsWith(typed));
}

export default defineConformance({
  tools: {
    // tools-call-simple-text
    test_simple_text() {
      return 'This is a simple text response for testing.';
    },

    // tools-call-image
    test_image_content() {
      return { content: [{ type: 'image', data: redPixelPng, mimeType: 'image/png' }] };
    },

    // tools-call-audio: the suite wants exactly audio/wav.
    test_audio_content() {
      return { content: [{ type: 'audio', data: silentWav(), mimeType: 'audio/wav' }] };
    },

    // tools-call-embedded-resource
    test_embedded_resource() {
      return {
        content: [
          {
            type: 'resource',
            resource: {
              uri: 'test://embedded-resource',
              mimeType: 'text/plain',
              text: 'This is an embedded resource content.',
            },
          },
        ],
      };
    },

    // tools-call-mixed-content
    test_multiple_content_types() {
      return {
        content: [
          { type: 'text', text: 'Multiple content types test:' },
          { type: 'image', data: redPixelPng, mimeType: 'image/png' },
          {
            type: 'resource',
            resource: {
              uri: 'test://mixed-content-resource',
              mimeType: 'application/json',
              text: JSON.stringify({ test: 'data', value: 123 }),
            },
          },
        ],
      };
    },

    // tools-call-with-logging: three info notifications, ~50 ms apart. The runtime sends them to
    // the client because the scenario set a level with logging/setLevel first.
    async test_tool_with_logging(_input, _dependencies, context) {
      context.log.info('Tool execution started');
      await sleep(50, undefined, { signal: context.signal });
      context.log.info('Tool processing data');
      await sleep(50, undefined, { signal: context.signal });
      context.log.info('Tool execution completed');
      return 'Tool with logging executed successfully';
    },

    // tools-call-error: a thrown error becomes an isError result carrying its message.
    test_error_handling() {
      throw new Error('This tool intentionally returns an error for testing');
    },

    // tools-call-with-progress: 0, 50, 100 of 100, ~50 ms apart (sent only with a progress token).
    async test_tool_with_progress(_input, _dependencies, context) {
      await context.progress(0, 100);
      await sleep(50, undefined, { signal: context.signal });
      await context.progress(50, 100);
      await sleep(50, undefined, { signal: context.signal });
      await context.progress(100, 100);
      return 'Tool with progress executed successfully';
    },

    // tools-call-sampling: a request to the client in the middle of the call (2025-11-25); a
    // client without sampling gets an isError result saying so.
    async test_sampling({ prompt }, _dependencies, context) {
      const answer = await context.client.createMessage({
        messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
        maxTokens: 100,
      });
      const block = Array.isArray(answer.content) ? answer.content[0] : answer.content;
      return `LLM response: ${block?.type === 'text' ? block.text : JSON.stringify(block)}`;
    },

    // tools-call-elicitation
    async test_elicitation({ message }, _dependencies, context) {
      const answer = await context.client.elicitInput({ message, requestedSchema: contactForm });
      return `User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
    },

    // elicitation-sep1034-defaults
    async test_elicitation_sep1034_defaults(_input, _dependencies, context) {
      const answer = await context.client.elicitInput({
        message: 'Please review your profile (every field has a default)',
        requestedSchema: defaultsForm,
      });
      return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
    },

    // elicitation-sep1330-enums
    async test_elicitation_sep1330_enums(_input, _dependencies, context) {
      const answer = await context.client.elicitInput({
        message: 'Please pick your options',
        requestedSchema: enumsForm,
      });
      return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
    },

    // json-schema-2020-12: what is checked is the advertised schema; the call just echoes.
    json_schema_2020_12_tool(input) {
      return `Received: ${JSON.stringify(input)}`;
    },

    // server-sse-polling: the suite would like the server to close the SSE stream mid-call and
    // resume it on reconnection; a handler cannot do that, so this only answers after a pause.
    async test_reconnection(_input, _dependencies, context) {
      await sleep(100, undefined, { signal: context.signal });
      return 'Reconnection test completed';
    },

    // server-stateless (2026-07-28): logs, so the suite can check that nothing reaches a client
    // whose request set no log level.
    test_logging_tool(_input, _dependencies, context) {
      context.log.info('test_logging_tool ran');
      context.log.warn('test_logging_tool warns');
      return 'Logged at info and warning level';
    },

    // http-custom-header-server-validation (2026-07-28): the check is of the Mcp-Param-Region
    // header against the argument, before the call; the body only echoes.
    test_header_param({ region }) {
      return `Region: ${region}`;
    },

    // The multi-round tools (SEP-2322): see multi-round.ts. On a 2025-11-25 session the SDK sends
    // their requests to the client itself, so the same bodies serve both protocols.
    test_missing_capability: (_input, _dependencies, context) => needsSampling(context),
    test_streaming_elicitation: (_input, _dependencies, context) => greetByName(context),
    test_input_required_result_elicitation: (_input, _dependencies, context) =>
      greetByName(context),
    test_input_required_result_sampling: (_input, _dependencies, context) =>
      capitalOfFrance(context),
    test_input_required_result_list_roots: (_input, _dependencies, context) =>
      listClientRoots(context),
    test_input_required_result_request_state: (_input, _dependencies, context) =>
      confirmWithState(context),
    test_input_required_result_multiple_inputs: (_input, _dependencies, context) =>
      nameGreetingAndRoots(context),
    test_input_required_result_multi_round: (_input, _dependencies, context) =>
      nameThenColour(context),
    test_input_required_result_tampered_state: (_input, _dependencies, context) =>
      confirmWithState(context),
    test_input_required_result_capabilities: (_input, _dependencies, context) =>
      whatTheClientCanGive(context),
  },

  resources: {
    // resources-read-text (mimeType text/plain comes from the spec)
    static_text() {
      return 'This is the content of the static text resource.';
    },

    // resources-read-binary: bytes go out base64 as `blob`, mimeType image/png from the spec.
    static_binary() {
      return { blob: redPixelPngBytes };
    },

    // resources-templates-read: test://template/{id}/data
    template_data(_uri, { id }) {
      return JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` });
    },

    // resources-subscribe, resources-unsubscribe
    watched_resource() {
      return 'Watched resource content';
    },
  },

  prompts: {
    // prompts-get-simple
    test_simple_prompt() {
      return 'This is a simple prompt for testing.';
    },

    // prompts-get-with-args
    test_prompt_with_arguments({ arg1, arg2 }) {
      return `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`;
    },

    // prompts-get-embedded-resource: a `resource` content block, then text.
    test_prompt_with_embedded_resource({ resourceUri }) {
      return [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: {
              uri: resourceUri ?? 'test://example-resource',
              mimeType: 'text/plain',
              text: 'Embedded resource content for testing.',
            },
          },
        },
        { role: 'user', text: 'Please process the embedded resource above.' },
      ];
    },

    // prompts-get-with-image: an `image` content block, then text.
    test_prompt_with_image() {
      return [
        { role: 'user', content: { type: 'image', data: redPixelPng, mimeType: 'image/png' } },
        { role: 'user', text: 'Please analyze the image above.' },
      ];
    },

    // input-required-result-non-tool-request: prompts/get may ask for input too.
    async test_input_required_result_prompt(_args, context) {
      const view = context.input.response('user_context');
      const given = view.kind === 'elicit' ? view.content?.context : undefined;
      if (typeof given !== 'string') {
        return context.input.require({
          user_context: context.input.elicit({
            message: 'What context should the prompt use?',
            requestedSchema: oneStringForm('context'),
          }),
        });
      }
      return `Answer with this context in mind: ${given}`;
    },
  },

  // completion-complete completes test_prompt_with_arguments' arg1; template ids complete too.
  completions: {
    prompts: {
      test_prompt_with_arguments: { arg1: oneOf(['test', 'testing', 'tested', 'other']) },
    },
    resources: { template_data: { id: oneOf(['1', '2', '42', '100']) } },
  },
});

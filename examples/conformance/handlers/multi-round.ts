// The bodies of the conformance agent's multi-round tools (SEP-2322, input_required results):
// each asks the client for input through context.input, and answers once the input is there. The
// keys, messages and answers are the ones the suite's input-required-result-* scenarios check.
import type { InputResponseView, ToolContext } from '@mcp-mesh/runtime';
import { oneStringForm } from './elicitation-forms.js';

/** The text an accepted elicitation gave for `field`, if it gave one. */
function acceptedText(view: InputResponseView, field: string): string | undefined {
  if (view.kind !== 'elicit' || view.action !== 'accept') return undefined;
  const value = view.content?.[field];
  return typeof value === 'string' ? value : undefined;
}

/** The text of a sampling answer, if it is text. */
function sampledText(view: InputResponseView): string | undefined {
  if (view.kind !== 'sampling') return undefined;
  const content = view.result.content;
  const block = Array.isArray(content) ? content[0] : content;
  return block?.type === 'text' ? block.text : undefined;
}

function rootsOf(view: InputResponseView): string[] | undefined {
  return view.kind === 'roots' ? view.roots.map((root) => root.uri) : undefined;
}

/** A sampling request of one user message. */
function ask(context: ToolContext, text: string, maxTokens: number) {
  return context.input.createMessage({
    messages: [{ role: 'user', content: { type: 'text', text } }],
    maxTokens,
  });
}

/** input-required-result-basic-elicitation (and the suite's other user_name scenarios). */
export async function greetByName(context: ToolContext): Promise<string> {
  const name = acceptedText(context.input.response('user_name'), 'name');
  // Missing, declined, malformed or wrongly keyed answers: ask again rather than fail.
  if (name === undefined) {
    return context.input.require({
      user_name: context.input.elicit({
        message: 'What is your name?',
        requestedSchema: oneStringForm('name'),
      }),
    });
  }
  return `Hello, ${name}!`;
}

/** input-required-result-basic-sampling */
export async function capitalOfFrance(context: ToolContext): Promise<string> {
  const answer = sampledText(context.input.response('capital_question'));
  if (answer === undefined) {
    return context.input.require({
      capital_question: ask(context, 'What is the capital of France?', 100),
    });
  }
  return `The LLM says: ${answer}`;
}

/** input-required-result-basic-list-roots */
export async function listClientRoots(context: ToolContext): Promise<string> {
  const roots = rootsOf(context.input.response('client_roots'));
  if (roots === undefined) {
    return context.input.require({ client_roots: context.input.listRoots() });
  }
  return `Client roots: ${roots.join(', ') || '(none)'}`;
}

/** input-required-result-request-state and -tampered-state: the state is signed by the runtime. */
export async function confirmWithState(context: ToolContext): Promise<string> {
  const state = context.input.state<{ nonce: string }>();
  const confirm = context.input.response('confirm');
  if (state === undefined || confirm.kind !== 'elicit') {
    return context.input.require(
      {
        confirm: context.input.elicit({
          message: 'Please confirm',
          requestedSchema: {
            type: 'object',
            properties: { ok: { type: 'boolean' } },
            required: ['ok'],
          },
        }),
      },
      { nonce: crypto.randomUUID() },
    );
  }
  return `state-ok: confirmation ${confirm.action} (round state ${state.nonce})`;
}

/** input-required-result-multiple-inputs: three kinds of input in one round. */
export async function nameGreetingAndRoots(context: ToolContext): Promise<string> {
  const name = acceptedText(context.input.response('user_name'), 'name');
  const greeting = sampledText(context.input.response('greeting'));
  const roots = rootsOf(context.input.response('client_roots'));
  if (name === undefined || greeting === undefined || roots === undefined) {
    return context.input.require(
      {
        user_name: context.input.elicit({
          message: 'What is your name?',
          requestedSchema: oneStringForm('name'),
        }),
        greeting: ask(context, 'Generate a greeting', 50),
        client_roots: context.input.listRoots(),
      },
      { asked: ['user_name', 'greeting', 'client_roots'] },
    );
  }
  return `${greeting} ${name} (roots: ${roots.join(', ') || '(none)'})`;
}

/** input-required-result-multi-round: a name, then a colour, with the name kept in the state. */
export async function nameThenColour(context: ToolContext): Promise<string> {
  const state = context.input.state<{ step: number; name?: string }>();
  if (state?.step === 2 && state.name !== undefined) {
    const colour = acceptedText(context.input.response('step2'), 'color');
    if (colour !== undefined) return `${state.name} likes ${colour}`;
  }
  const name = state?.name ?? acceptedText(context.input.response('step1'), 'name');
  if (name === undefined) {
    return context.input.require(
      {
        step1: context.input.elicit({
          message: 'Step 1: What is your name?',
          requestedSchema: oneStringForm('name'),
        }),
      },
      { step: 1 },
    );
  }
  return context.input.require(
    {
      step2: context.input.elicit({
        message: 'Step 2: What is your favorite color?',
        requestedSchema: oneStringForm('color'),
      }),
    },
    { step: 2, name },
  );
}

/** input-required-result-capability-check: ask only for what the client can give. */
export async function whatTheClientCanGive(context: ToolContext): Promise<string> {
  const answered = Object.keys(context.input.responses);
  if (answered.length > 0) return `Received input for: ${answered.join(', ')}`;
  const { client, input } = context;
  const requests = {
    ...(client.supports('sampling') ? { question: ask(context, 'Say hello', 20) } : {}),
    ...(client.supports('elicitation')
      ? {
          name: input.elicit({
            message: 'What is your name?',
            requestedSchema: oneStringForm('name'),
          }),
        }
      : {}),
    ...(client.supports('roots') ? { roots: input.listRoots() } : {}),
  };
  if (Object.keys(requests).length === 0) return 'The client declared no way to give input';
  return input.require(requests);
}

/** test_missing_capability: needs sampling, so a client without it gets JSON-RPC -32021. */
export async function needsSampling(context: ToolContext): Promise<string> {
  const answer = sampledText(context.input.response('question'));
  if (answer === undefined) {
    return context.input.require({ question: ask(context, 'Say hello', 20) });
  }
  return `The LLM says: ${answer}`;
}

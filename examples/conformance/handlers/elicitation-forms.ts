// The elicitation forms the conformance suite's scenarios check, field by field.
import type { ElicitRequestFormParams } from '@mcp-mesh/runtime';

type RequestedSchema = ElicitRequestFormParams['requestedSchema'];

/** tools-call-elicitation: a username and an email, both required. */
export const contactForm: RequestedSchema = {
  type: 'object',
  properties: {
    username: { type: 'string', description: "User's response" },
    email: { type: 'string', description: "User's email address" },
  },
  required: ['username', 'email'],
};

/** elicitation-sep1034-defaults: every primitive type with a default (SEP-1034). */
export const defaultsForm: RequestedSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', default: 'John Doe' },
    age: { type: 'integer', default: 30 },
    score: { type: 'number', default: 95.5 },
    status: { type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' },
    verified: { type: 'boolean', default: true },
  },
};

/** elicitation-sep1330-enums: the five enum variants of SEP-1330. */
export const enumsForm: RequestedSchema = {
  type: 'object',
  properties: {
    untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    titledSingle: {
      type: 'string',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: {
      type: 'string',
      enum: ['opt1', 'opt2', 'opt3'],
      enumNames: ['Option One', 'Option Two', 'Option Three'],
    },
    untitledMulti: {
      type: 'array',
      items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    },
    titledMulti: {
      type: 'array',
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
    },
  },
};

/** A form of one required string field (the multi-round scenarios ask such questions). */
export function oneStringForm(field: string): RequestedSchema {
  return { type: 'object', properties: { [field]: { type: 'string' } }, required: [field] };
}

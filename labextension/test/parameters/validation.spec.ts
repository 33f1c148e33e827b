import { describe, expect, it } from 'vitest';

import { IParametersSchema } from '../../src/client';
import {
  fieldOf,
  filledValues,
  invalidFields
} from '../../src/parameters/validation';
import { trans } from '../helpers';

const schema: IParametersSchema = {
  type: 'object',
  properties: {
    source: { title: 'source', type: 'string', format: 'path' },
    count: { title: 'count', type: 'integer', default: 3, minimum: 0 },
    day: { title: 'day', type: 'string', format: 'date' },
    at: { title: 'at', type: 'string', format: 'time' },
    since: { title: 'since', type: 'string', format: 'date-time' },
    tags: { title: 'tags', type: 'array', items: { type: 'string' } },
    point: {
      title: 'point',
      type: 'array',
      items: { type: 'number' },
      minItems: 2,
      maxItems: 2
    }
  },
  required: ['source'],
  additionalProperties: false
};

describe('values checked in the browser', () => {
  it('takes values of the right types and formats', () => {
    expect(
      invalidFields(
        schema,
        {
          source: '/data/in file.csv',
          count: 0,
          day: '2024-05-01',
          at: '10:30:00',
          since: '2024-05-01T08:00:00.000Z',
          tags: ['a'],
          point: [1, 2.5]
        },
        trans
      )
    ).toEqual([]);
  });

  it('names each refused field once, in the order of the form', () => {
    const invalid = invalidFields(
      schema,
      { count: -1, day: 'monday', point: [1] },
      trans
    );

    expect(invalid.map(error => error.field)).toEqual([
      'source',
      'count',
      'day',
      'point'
    ]);
    expect(invalid[0].message).toBe('A value is needed.');
  });

  it('fills in the defaults, and no list an option left out does not need', () => {
    expect(filledValues(schema, { source: 'x' })).toEqual({
      source: 'x',
      count: 3
    });
  });

  it('finds the parameter of an error wherever it points', () => {
    expect(fieldOf('.count')).toBe('count');
    expect(fieldOf('.tags.0')).toBe('tags');
    expect(fieldOf('source')).toBe('source');
    expect(fieldOf("['odd-name']")).toBe('odd-name');
    expect(fieldOf('')).toBeNull();
    expect(fieldOf(undefined)).toBeNull();
  });
});

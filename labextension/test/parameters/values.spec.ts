import { describe, expect, it } from 'vitest';

import { IParametersSchema } from '../../src/client';
import {
  defaultValues,
  fits,
  prefillValues,
  stateKey,
  valuesToSend
} from '../../src/parameters/values';

const schema: IParametersSchema = {
  type: 'object',
  properties: {
    source: { title: 'source', type: 'string', format: 'path' },
    count: {
      title: 'count',
      type: 'integer',
      default: 3,
      minimum: 0,
      maximum: 10
    },
    mode: { title: 'mode', enum: ['fast', 'slow'] },
    tags: { title: 'tags', type: 'array', items: { type: 'string' } },
    verbose: { title: 'verbose', type: 'boolean', default: false }
  },
  required: ['source'],
  additionalProperties: false
};

describe('the values a run form starts from', () => {
  it('keeps the remembered values the schema still takes', () => {
    expect(
      prefillValues(schema, {
        source: 'in.csv',
        count: 5,
        mode: 'slow',
        tags: ['a', 'b'],
        verbose: true
      })
    ).toEqual({
      source: 'in.csv',
      count: 5,
      mode: 'slow',
      tags: ['a', 'b'],
      verbose: true
    });
  });

  it('drops the parameters the version no longer has', () => {
    expect(prefillValues(schema, { source: 'in.csv', day: 'monday' })).toEqual({
      source: 'in.csv'
    });
  });

  it('drops values the schema now refuses, so the default shows instead', () => {
    expect(
      prefillValues(schema, {
        count: '5', // was a text parameter
        mode: 'medium', // no longer a choice
        tags: ['a', 2],
        verbose: 'yes',
        source: null
      })
    ).toEqual({});
    expect(prefillValues(schema, { count: 11 })).toEqual({});
    expect(prefillValues(schema, { count: 2.5 })).toEqual({});
  });

  it('starts from nothing when nothing usable was remembered', () => {
    for (const stored of [undefined, null, 'x', 3, ['a']]) {
      expect(prefillValues(schema, stored)).toEqual({});
    }
  });

  it('does not take a key of the prototype for a parameter', () => {
    expect(prefillValues(schema, { toString: 'x', constructor: 1 })).toEqual(
      {}
    );
  });

  it('reads the defaults the schema states', () => {
    expect(defaultValues(schema)).toEqual({ count: 3, verbose: false });
  });

  it('takes any value for a parameter of no stated type', () => {
    expect(fits({ any: 'thing' }, { title: 'x' })).toBe(true);
    expect(fits(1.5, { type: 'number', minimum: 1 })).toBe(true);
    expect(fits(Infinity, { type: 'number' })).toBe(false);
  });

  it('remembers values under one key per script', () => {
    expect(stateKey(12)).toBe('jupyter-scriptforge:parameters:12');
  });

  it('sends the values given, not the fields left empty', () => {
    expect(
      valuesToSend({ source: 'in.csv', count: undefined, mode: null, tags: [] })
    ).toEqual({ source: 'in.csv', tags: [] });
  });
});

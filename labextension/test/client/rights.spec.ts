import { describe, expect, it } from 'vitest';

import { ScriptForgeClient } from '../../src/client';
import { UserRights } from '../../src/client/rights';
import { answering } from '../helpers';

const rightsOf = async (body: unknown): Promise<UserRights> => {
  const rights = new UserRights(
    new ScriptForgeClient(answering(body).settings).users
  );
  await rights.ready;
  return rights;
};

describe('UserRights', () => {
  it('holds what GET me says, and only that', async () => {
    const viewer = await rightsOf({
      name: 'vera',
      rights: ['read'],
      admin: false
    });

    expect(viewer.name).toBe('vera');
    expect(viewer.may('read')).toBe(true);
    expect(viewer.may('write')).toBe(false);
    expect(viewer.may('run')).toBe(false);
    expect(viewer.governs('vera')).toBe(false);
    expect(viewer.limited).toBe(true);
  });

  it('lets an author govern their own scripts and an admin anyone’s', async () => {
    const author = await rightsOf({
      name: 'alice',
      rights: ['read', 'write', 'run', 'assistant'],
      admin: false
    });
    const admin = await rightsOf({
      name: 'ada',
      rights: ['read', 'write', 'run', 'assistant', 'admin'],
      admin: true
    });

    expect(author.governs('alice')).toBe(true);
    expect(author.limited).toBe(true);
    expect(admin.limited).toBe(false);
    expect(author.governs('bob')).toBe(false);
    expect(admin.governs('bob')).toBe(true);
  });

  it('hides nothing before the server answers, and tells when it has', async () => {
    const rights = new UserRights(
      new ScriptForgeClient(
        answering({ name: 'vera', rights: ['read'], admin: false }).settings
      ).users
    );
    let told = 0;
    rights.changed.connect(() => told++);

    expect(rights.may('write')).toBe(true);
    await rights.ready;
    expect(rights.may('write')).toBe(false);
    expect(told).toBe(1);
  });
});

import { main } from '../../../../lambda/pipeline/self-mutation-guard/index';

/** Runs the guard's entry point with `argv`, returning its exit code and what it printed. */
function run(argv: readonly string[]): { code: number; printed: string } {
  const writes: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    return { code: main(argv), printed: writes.join('') };
  } finally {
    write.mockRestore();
  }
}

describe('the guard entry point the buildspec runs', () => {
  it.each([
    ['no argument', []],
    ['two arguments', ['e30=', 'e30=']],
  ])('stops the deploy when given %s, saying what it expects', (_, argv) => {
    expect(run(argv)).toEqual({
      code: 1,
      printed: 'Self-mutation guard: expected one argument, the base64 gate spec; nothing is deployed.\n',
    });
  });

  it('decodes its one argument from base64 and stops the deploy when the spec is not one it reads', () => {
    const { code, printed } = run([Buffer.from('{"version":2}').toString('base64')]);
    expect(code).toBe(1);
    expect(printed).toBe(
      'Self-mutation guard: cannot check the new pipeline, so it is not deployed: gate spec: version is not 1\n',
    );
  });
});

import { externalModules, median } from '../../bench/measure';

describe('The median', () => {
  it('is the middle value of an odd count and the mean of the middle two of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('refuses an empty list', () => {
    expect(() => median([])).toThrow('median of no values');
  });
});

describe('The external modules of a bundle', () => {
  it('are the AWS SDK and Smithy modules it requires or imports, once each, sorted', () => {
    const bundle = [
      'var a = require("@aws-sdk/client-s3");',
      'var b = require("@aws-sdk/client-s3");',
      "import { X } from '@aws-sdk/client-sts';",
      'const c = await import("@smithy/util-retry");',
      'var d = require("./local");',
      'var e = require("path");',
    ].join('\n');
    expect(externalModules(bundle)).toEqual(['@aws-sdk/client-s3', '@aws-sdk/client-sts', '@smithy/util-retry']);
  });
});

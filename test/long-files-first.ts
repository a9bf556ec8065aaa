import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take minutes, each a long wait on processes of its own: started first, so that
 * the short files fill the other workers around them instead of one of them starting last and
 * running on alone. A fresh checkout (CI) has no cached durations for vitest to order by.
 */
const longFiles = ['test/e2e/journey/journey.test.ts', 'test/e2e/start-stop/start-stop.test.ts'];

export default class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = longFiles.findIndex((long) => file.moduleId.endsWith(long));
      return index === -1 ? longFiles.length : index;
    };
    // sort() is stable: the other files keep vitest's own order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

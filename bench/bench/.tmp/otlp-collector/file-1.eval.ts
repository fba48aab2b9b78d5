import { evalTask } from 'strikes'
import { expect, test } from 'vitest'

const double = evalTask(async function double(n: number) {
  return n * 2
})
test('doubles', async () => {
  expect(await double.map(Array.from({ length: 20 }, (_, n) => n))).toHaveLength(20)
})

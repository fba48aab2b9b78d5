/** `--open`: asks the operating system to open the UI's address in the default browser. */
import { spawn } from 'node:child_process'

/** Opens `url` with the platform's opener; resolves to an error message when that failed, else undefined. */
export function openInBrowser(url: string): Promise<string | undefined> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]]
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { stdio: 'ignore', detached: true })
      child.once('error', (error) =>
        resolve(`could not open a browser (${command}: ${error.message}); open ${url} yourself`),
      )
      child.once('spawn', () => {
        child.unref()
        resolve(undefined)
      })
    } catch (error) {
      resolve(`could not open a browser (${(error as Error).message}); open ${url} yourself`)
    }
  })
}

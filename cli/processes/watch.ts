/**
 * `meshctl start --watch`: watches files and folders and reports changes, debounced, so that a
 * save (often several events: write, rename, chmod) restarts an agent once.
 */
import { existsSync, type FSWatcher, watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { WatchedPath } from './targets.js';

/**
 * Calls `onChange` with the changed paths once no change came for `debounceMs`. A file is
 * watched through its folder (editors replace files on save, which ends a watch on the file
 * itself); a folder is watched recursively. Paths that do not exist are skipped. Answers a
 * function that stops watching.
 */
export function watchPaths(
  paths: readonly WatchedPath[],
  onChange: (changed: string[]) => void,
  debounceMs = 300,
): () => void {
  const watchers: FSWatcher[] = [];
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const note = (path: string) => {
    if (closed) return;
    changed.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const paths = [...changed];
      changed.clear();
      if (!closed) onChange(paths);
    }, debounceMs);
  };
  for (const { path, recursive } of paths) {
    try {
      if (recursive) {
        if (!existsSync(path)) continue;
        const watcher = watch(path, { recursive: true }, (_event, file) =>
          note(file ? join(path, file.toString()) : path),
        );
        watcher.on('error', () => {});
        watchers.push(watcher);
      } else {
        const folder = dirname(path);
        const name = basename(path);
        if (!existsSync(folder)) continue;
        const watcher = watch(folder, (_event, file) => {
          if (file?.toString() === name) note(path);
        });
        watcher.on('error', () => {});
        watchers.push(watcher);
      }
    } catch {
      // A folder that vanished, or too many watches: that path is not watched.
    }
  }
  return () => {
    closed = true;
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}

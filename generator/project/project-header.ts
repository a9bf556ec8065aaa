/** What this repository's own generated files say to run: its script, not a user's meshctl. */
export const projectHeader = { command: 'npm run generate' } as const;

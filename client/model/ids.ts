/** Ids for tasks, principles and phases: random, url-safe, well under the 64-character limit. */
export const newTaskId = (): string => crypto.randomUUID()
export const newPrincipleId = (): string => crypto.randomUUID()
export const newPhaseId = (): string => crypto.randomUUID()

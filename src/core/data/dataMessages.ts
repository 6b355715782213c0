// The data readers' errors, by id (part of the core's catalogue, src/core/messages.ts).
export const DATA_MESSAGES = {
} as const;

// A confirmation to show once on the next page (after saving, the user goes
// back to the list, which says what happened).
let pending: string | null = null;

export function setFlash(message: string): void {
  pending = message;
}

export function takeFlash(): string | null {
  const m = pending;
  pending = null;
  return m;
}

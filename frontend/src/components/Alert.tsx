// Message regions: errors in role="alert" (announced at once), confirmations in role="status".
import type { ComponentChildren } from 'preact';

export function ErrorAlert({ messages }: { messages: readonly string[] }) {
  // The region is always present so that assistive technology notices new content.
  return (
    <div role="alert" class={messages.length ? 'alert alert-error' : 'alert-empty'}>
      {messages.length === 1 && <p>{messages[0]}</p>}
      {messages.length > 1 && (
        <ul>
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Notice({ children, kind = 'success' }: { children?: ComponentChildren; kind?: 'success' | 'info' }) {
  return (
    <div role="status" class={children ? `alert alert-${kind}` : 'alert-empty'}>
      {children}
    </div>
  );
}

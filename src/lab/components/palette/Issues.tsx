/**
 * A refusal's issues where they belong: under the field, each saying what is wrong and what to do,
 * with `code` rendered as code. Inputs point at their issues with aria-describedby.
 */
import type { ReactNode } from 'react';
import type { FieldIssue } from '../../client/lab-api';
import { codeSegments, isError, issueText } from './format';
import styles from './palette.module.css';

export function Words(props: { text: string }): ReactNode {
  return <>{codeSegments(props.text).map((s, i) => (s.code ? <code key={i}>{s.text}</code> : <span key={i}>{s.text}</span>))}</>;
}

/** The issues of one field (`id` is what the input's aria-describedby names). */
export function IssueList(props: { id?: string; issues: readonly FieldIssue[]; prefix?: (i: FieldIssue) => string | undefined }): ReactNode {
  if (props.issues.length === 0) return null;
  return (
    <ul id={props.id} className={styles.issues}>
      {props.issues.map((i, n) => (
        <li key={n} className={isError(i) ? styles.issueError : styles.issueWarning} data-issue-path={i.path} data-issue-code={i.code}>
          <span className={styles.issueKind}>{isError(i) ? 'Error' : 'Warning'}: </span>
          <Words text={issueText(i, props.prefix?.(i))} />
        </li>
      ))}
    </ul>
  );
}

/** aria-invalid and aria-describedby for an input with these issues. */
export function invalidProps(id: string, issues: readonly FieldIssue[]): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  if (issues.length === 0) return {};
  return { ...(issues.some(isError) ? { 'aria-invalid': true as const } : {}), 'aria-describedby': id };
}

/** A failed request without field issues (the server down, a 404, a 409): its message in an alert. */
export function Problem(props: { message: string | null; kind?: 'danger' | 'warning' | 'success' | 'info' }): ReactNode {
  if (!props.message) return null;
  return (
    <div className={`alert alert--${props.kind ?? 'danger'} ${styles.alert}`} role={props.kind === 'success' || props.kind === 'info' ? 'status' : 'alert'}>
      <Words text={issueText({ message: props.message })} />
    </div>
  );
}

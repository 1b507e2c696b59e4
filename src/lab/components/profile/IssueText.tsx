/**
 * One problem the lab server reported, in words: its message and what to do
 * (the hint), with `backticked` names as code. Warnings say so in text, not
 * only in colour.
 */
import type { ReactNode } from 'react';
import type { FieldIssue } from '../../client/lab-api';
import { codeSpans } from './field-issues';
import styles from './profile.module.css';

export function RichText(props: { text: string }): ReactNode {
  return <>{codeSpans(props.text).map((s, i) => (s.code ? <code key={i}>{s.text}</code> : <span key={i}>{s.text}</span>))}</>;
}

export function IssueText(props: { issue: Pick<FieldIssue, 'message' | 'hint' | 'severity'> }): ReactNode {
  const { issue } = props;
  return (
    <>
      {issue.severity === 'warning' ? <strong>Warning: </strong> : null}
      <RichText text={issue.message} />
      {issue.hint ? <span className={styles.hint}>Fix: <RichText text={issue.hint} /></span> : null}
    </>
  );
}

/** The issues under one field; `id` lets the field point at them (aria-describedby). */
export function IssueList(props: { id?: string; issues: readonly FieldIssue[]; className?: string }): ReactNode {
  if (props.issues.length === 0) return null;
  return (
    <ul id={props.id} className={`${styles.issues} ${props.className ?? ''}`} data-issues>
      {props.issues.map((issue, i) => (
        <li key={i} className={`${styles.issue} ${issue.severity === 'warning' ? styles.warning : ''}`} data-issue-path={issue.path} data-severity={issue.severity ?? 'error'}>
          <IssueText issue={issue} />
        </li>
      ))}
    </ul>
  );
}

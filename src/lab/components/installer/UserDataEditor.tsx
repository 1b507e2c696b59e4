/**
 * The user-data editor: CodeMirror 6 with YAML highlighting and inline
 * problems. The page's own check (first line, YAML syntax, placeholders) runs
 * as the reader types; what the lab server reported for the last build is
 * marked at its line and column until the reader edits that line. Enter starts
 * a plain new line (YAML indentation is the reader's, typed as spaces) and Tab
 * leaves the editor, so keyboard users are never trapped.
 *
 * Created in an effect only: nothing here touches the DOM while rendering.
 */
import { defaultKeymap, history, historyKeymap, insertNewline } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { forceLinting, lintGutter, linter, type Diagnostic } from '@codemirror/lint';
import { EditorState, StateEffect, StateField } from '@codemirror/state';
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import { useEffect, useRef, type MutableRefObject, type ReactNode } from 'react';
import { clientProblems, marksOf, mergeMarks, problemRange, problemText, type Mark, type Problem } from './problems';
import { minimalChange } from './user-data-text';
import styles from './installer.module.css';

export interface UserDataEditorApi {
  getText(): string;
  /** Replaces the text with the smallest edit (undo-able); puts the cursor at the end of `line`. */
  setText(text: string, line?: number): void;
  /** Moves the cursor to a problem and focuses the editor. */
  focusAt(line: number, column: number): void;
}

const setServerMarks = StateEffect.define<Mark[]>();

/** The server's marks, moved along with edits; a mark whose line is edited is dropped. */
const serverMarks = StateField.define<Mark[]>({
  create: () => [],
  update(marks, tr) {
    let next = marks;
    if (tr.docChanged && marks.length > 0) {
      const doc = tr.startState.doc;
      next = marks
        .filter((m) => !tr.changes.touchesRange(doc.lineAt(m.from).from, doc.lineAt(m.to).to))
        .map((m) => {
          const from = tr.changes.mapPos(m.from, 1);
          return { ...m, from, to: Math.max(from, tr.changes.mapPos(m.to, -1)) };
        });
    }
    for (const e of tr.effects) if (e.is(setServerMarks)) next = e.value;
    return next;
  },
});

const highlight = HighlightStyle.define([
  { tag: t.definition(t.propertyName), color: 'var(--ud-key)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--ud-string)' },
  { tag: [t.content, t.attributeValue], color: 'var(--ud-value)' },
  { tag: t.lineComment, color: 'var(--ud-comment)', fontStyle: 'italic' },
  { tag: [t.separator, t.punctuation], color: 'var(--ud-punct)' },
  { tag: [t.keyword, t.meta], color: 'var(--ud-meta)' },
  { tag: [t.labelName, t.typeName], color: 'var(--ud-anchor)' },
]);

/** Colours come from Infima's variables and the module's `--ud-*` ones, so dark mode follows the site. */
const theme = EditorView.theme({
  '&': {
    color: 'var(--ifm-font-color-base)',
    backgroundColor: 'var(--ifm-background-surface-color)',
    border: '1px solid var(--ifm-color-emphasis-400)',
    borderRadius: 'var(--ifm-global-radius)',
    fontSize: '0.85rem',
  },
  '&.cm-focused': { outline: '2px solid var(--ifm-color-primary)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'var(--ifm-font-family-monospace)', lineHeight: '1.55', minHeight: '16rem', maxHeight: '34rem', overflow: 'auto' },
  '.cm-content': { caretColor: 'var(--ifm-font-color-base)' },
  '.cm-gutters': { backgroundColor: 'var(--ifm-color-emphasis-100)', color: 'var(--ifm-color-emphasis-700)', borderRight: '1px solid var(--ifm-color-emphasis-300)' },
  '.cm-activeLine': { backgroundColor: 'var(--ud-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--ifm-color-emphasis-200)' },
  '.cm-tooltip': { backgroundColor: 'var(--ifm-background-surface-color)', color: 'var(--ifm-font-color-base)', border: '1px solid var(--ifm-color-emphasis-300)' },
  '.cm-diagnostic': { whiteSpace: 'pre-wrap', maxWidth: 'min(36rem, 90vw)' },
});

export function UserDataEditor(props: {
  initialText: string;
  /** The current text, mirrored in `data-user-data` for tests and tools. */
  text: string;
  onChange: (text: string) => void;
  /** What the lab server reported for the last build; a new array marks them anew. */
  serverProblems: readonly Problem[];
  /** Everything currently marked, in text order, whenever the marks are recomputed. */
  onProblems: (problems: Problem[]) => void;
  apiRef: MutableRefObject<UserDataEditorApi | null>;
  describedBy?: string;
}): ReactNode {
  const host = useRef<HTMLDivElement | null>(null);
  const viewRef = useRef<EditorView | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const onProblems = useRef(props.onProblems);
  onProblems.current = props.onProblems;

  useEffect(() => {
    if (!host.current) return undefined;
    const check = linter((view): Diagnostic[] => {
      const text = view.state.doc.toString();
      const marks = mergeMarks(text, view.state.field(serverMarks), marksOf(text, clientProblems(text)));
      onProblems.current(marks.map((m) => m.problem));
      return marks.map((m) => ({
        from: m.from, to: m.to, severity: m.problem.severity, message: problemText(m.problem),
        source: m.problem.source === 'server' ? 'lab server' : 'checked in the page',
      }));
    }, { delay: 250, needsRefresh: (u) => u.transactions.some((tr) => tr.effects.some((e) => e.is(setServerMarks))) });

    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: props.initialText,
        extensions: [
          lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), history(),
          keymap.of([{ key: 'Enter', run: insertNewline }, ...defaultKeymap, ...historyKeymap]),
          yaml(), syntaxHighlighting(highlight), EditorView.lineWrapping,
          serverMarks, check, lintGutter(), theme,
          EditorView.contentAttributes.of({
            'aria-label': 'User data', spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off',
            ...(props.describedBy ? { 'aria-describedby': props.describedBy } : {}),
          }),
          EditorView.updateListener.of((u) => { if (u.docChanged) onChange.current(u.state.doc.toString()); }),
        ],
      }),
    });
    viewRef.current = view;
    props.apiRef.current = {
      getText: () => view.state.doc.toString(),
      setText: (text, line) => {
        const before = view.state.doc.toString();
        const lines = text.split('\n');
        const n = line === undefined ? undefined : Math.min(Math.max(1, line), lines.length);
        const anchor = n === undefined ? undefined : lines.slice(0, n).join('\n').length;
        if (before === text && anchor === undefined) return;
        const change = before === text ? undefined : minimalChange(before, text);
        view.dispatch({ ...(change ? { changes: change } : {}), ...(anchor !== undefined ? { selection: { anchor } } : {}), scrollIntoView: true, userEvent: 'input.replace' });
      },
      focusAt: (line, column) => {
        const { from } = problemRange(view.state.doc.toString(), line, column);
        view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
        view.focus();
      },
    };
    return () => {
      view.destroy();
      viewRef.current = null;
      props.apiRef.current = null;
    };
    // The editor is made once; later text arrives through apiRef, later problems through the effect below.
  }, []);

  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    const text = view.state.doc.toString();
    view.dispatch({ effects: setServerMarks.of(marksOf(text, props.serverProblems)) });
    forceLinting(view);
  }, [props.serverProblems]);

  return <div ref={host} className={styles.editor} data-user-data={props.text} data-user-data-editor />;
}

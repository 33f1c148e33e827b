/**
 * A keyboard-navigable tree whose rows are drawn only while on screen, so a
 * catalog of ten thousand scripts scrolls like one of ten.
 */
import * as React from 'react';
import { flushSync } from 'react-dom';
import { areEqual, FixedSizeList, ListChildComponentProps } from 'react-window';

/** Height of one row, in pixels: the list positions rows by it. */
export const ROW_HEIGHT = 26;
/** Ask for the next page when the last rendered row is this close to the end. */
const LOAD_AHEAD = 20;
/**
 * Rows drawn beyond the visible ones, on the side the list scrolls to. Rows are drawn in
 * the frame that scrolls (`ScrollBox`), so a few are enough: each is work on every jump.
 */
const OVERSCAN = 4;

export interface IVirtualTreeProps<Row> {
  rows: Row[];
  /** Newer rows are on their way: shown dimmed, announced as busy. */
  busy: boolean;
  label: string;
  /** A stable key of a row: the focus stays on that row across updates. */
  keyOf: (row: Row) => string;
  /** Draw a row; `id` goes on its `treeitem` element, for the focus ring of the keyboard. */
  render: (row: Row, focused: boolean, id: string) => JSX.Element;
  /** Enter on a row. */
  onActivate: (row: Row) => void;
  /** Right or Left arrow on a row: open or close it when it is a folder. */
  onExpand: (row: Row, open: boolean) => boolean;
  /** Called when the rows near the end come into view. */
  onNearEnd?: () => void;
}

function rowId(index: number): string {
  return `jp-ScriptForge-row-${index}`;
}

/** The height of an element, kept up to date as the panel is resized. */
function useHeight(element: HTMLElement | null): number {
  const [height, setHeight] = React.useState(0);
  React.useEffect(() => {
    if (element === null) {
      return;
    }
    const observer = new ResizeObserver(entries =>
      setHeight(entries[0].contentRect.height)
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return height;
}

interface IRowData<Row> {
  rows: Row[];
  focusedIndex: number;
  render: (row: Row, focused: boolean, id: string) => JSX.Element;
  onPointerFocus: (index: number) => void;
}

/**
 * One row in its place. A module-level component, so react-window keeps the rows
 * mounted across renders (a click survives the focus change of its mousedown);
 * memoized, so a scroll draws only the rows coming into view.
 */
function VirtualRowView({
  index,
  style,
  data
}: ListChildComponentProps<IRowData<unknown>>): JSX.Element {
  return (
    <div style={style} onMouseDown={() => data.onPointerFocus(index)}>
      {data.render(data.rows[index], index === data.focusedIndex, rowId(index))}
    </div>
  );
}
const VirtualRow = React.memo(VirtualRowView, areEqual);

interface IScrollBoxProps extends React.HTMLAttributes<HTMLDivElement> {
  onScroll?: React.UIEventHandler<HTMLDivElement>;
}

/**
 * The list's scrolling element. The list moves its window of rows in its scroll
 * handler; React would draw that a task later, after the browser had painted the new
 * scroll position with no rows on it yet — a blank frame on every jump (the scrollbar
 * dragged, Page Down held). Drawn at once, the rows arrive in the frame that scrolls.
 */
const ScrollBox = React.forwardRef(
  (
    { onScroll, ...props }: IScrollBoxProps,
    ref: React.ForwardedRef<HTMLDivElement>
  ) => (
    <div
      ref={ref}
      {...props}
      onScroll={event => flushSync(() => onScroll?.(event))}
    />
  )
);
ScrollBox.displayName = 'ScrollBox';

/**
 * react-window hints the scroller with `will-change: transform`; Chromium then
 * re-layerizes the whole list on every jump, a fifth of the frame that shows it.
 * The scroller is composited without the hint all the same.
 */
const SCROLLER_STYLE: React.CSSProperties = { willChange: 'auto' };

export function VirtualTree<Row>(props: IVirtualTreeProps<Row>): JSX.Element {
  const { rows, keyOf } = props;
  const [box, setBox] = React.useState<HTMLDivElement | null>(null);
  const height = useHeight(box);
  const list = React.useRef<FixedSizeList>(null);
  const [focusedKey, setFocusedKey] = React.useState<string | null>(null);
  // Rows are keyed by their slot on screen, not by what they show: a jump hands the
  // slots' elements the rows it brings (new text and attributes) instead of building
  // some forty rows and removing as many (half the script time of a jump). There are more
  // slots than rows ever drawn at once (visible, a part row each end, overscan each side).
  const slots = Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN + 2;
  const focusedIndex = Math.max(
    0,
    rows.findIndex(row => keyOf(row) === focusedKey)
  );

  const focus = (index: number) => {
    const target = Math.min(Math.max(index, 0), rows.length - 1);
    if (target < 0) {
      return;
    }
    setFocusedKey(keyOf(rows[target]));
    list.current?.scrollToItem(target);
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    const row = rows[focusedIndex];
    if (row === undefined) {
      return;
    }
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const moves: Record<string, () => void> = {
      ArrowDown: () => focus(focusedIndex + 1),
      ArrowUp: () => focus(focusedIndex - 1),
      PageDown: () => focus(focusedIndex + page),
      PageUp: () => focus(focusedIndex - page),
      Home: () => focus(0),
      End: () => focus(rows.length - 1),
      Enter: () => props.onActivate(row),
      ArrowRight: () => props.onExpand(row, true),
      ArrowLeft: () => props.onExpand(row, false)
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      move();
    }
  };

  const itemData = React.useMemo(
    (): IRowData<Row> => ({
      rows,
      focusedIndex,
      render: props.render,
      onPointerFocus: index => setFocusedKey(keyOf(rows[index]))
    }),
    [rows, focusedIndex, props.render, keyOf]
  );

  // The context-menu key (or Shift+F10) targets the tree itself: hand the event
  // to the focused row, so JupyterLab's menu offers that row's commands.
  const onContextMenu = (event: React.MouseEvent<HTMLDivElement>) => {
    const row = event.currentTarget.querySelector('.jp-mod-focused');
    if (event.target !== event.currentTarget || row === null) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    const box = row.getBoundingClientRect();
    row.dispatchEvent(
      new MouseEvent('contextmenu', {
        bubbles: true,
        cancelable: true,
        clientX: box.left + 24,
        clientY: box.bottom
      })
    );
  };

  return (
    <div
      className={`jp-ScriptForge-tree${props.busy ? ' jp-mod-busy' : ''}`}
      aria-busy={props.busy}
      ref={setBox}
      role="tree"
      aria-label={props.label}
      tabIndex={0}
      aria-activedescendant={rows.length > 0 ? rowId(focusedIndex) : undefined}
      onKeyDown={onKeyDown}
      onContextMenu={onContextMenu}
    >
      {height > 0 && (
        <FixedSizeList
          ref={list}
          height={height}
          width="100%"
          itemCount={rows.length}
          itemSize={ROW_HEIGHT}
          itemKey={index => index % slots}
          overscanCount={OVERSCAN}
          outerElementType={ScrollBox}
          style={SCROLLER_STYLE}
          // The row component is not generic; it hands each row back to `render` untouched.
          itemData={itemData as unknown as IRowData<unknown>}
          onItemsRendered={({ visibleStopIndex }) => {
            if (visibleStopIndex >= rows.length - LOAD_AHEAD) {
              props.onNearEnd?.();
            }
          }}
        >
          {VirtualRow}
        </FixedSizeList>
      )}
    </div>
  );
}

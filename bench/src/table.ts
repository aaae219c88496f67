export interface Column {
  header: string;
  align: 'left' | 'right';
}

/** One benchmark's table: what the console prints and the docs page shows. */
export interface Table {
  title: string;
  columns: Column[];
  rows: string[][];
  notes: string[];
}

export function formatTextTable(table: Table): string {
  const widths = table.columns.map((column, i) =>
    Math.max(column.header.length, ...table.rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return table.columns[i]?.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [
    table.title,
    '',
    line(table.columns.map((column) => column.header)),
    line(widths.map((width) => '-'.repeat(width))),
    ...table.rows.map(line),
    ...(table.notes.length > 0 ? ['', ...table.notes.map((note) => `* ${note}`)] : []),
  ].join('\n');
}

export function formatMarkdownTable(table: Table): string {
  const escapeCell = (cell: string): string => cell.replaceAll('|', '\\|');
  const row = (cells: string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [
    row(table.columns.map((column) => column.header)),
    row(table.columns.map((column) => (column.align === 'right' ? '---:' : ':---'))),
    ...table.rows.map(row),
  ].join('\n');
}

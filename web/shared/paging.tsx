/** Keyset pages (`{ data, nextCursor }`): the first page when `deps` change, then "load more". */
import { useEffect, useState } from "preact/hooks";
import type { Page } from "./api";
import { Button, ProblemNotice, useAction, useLoad } from "./ui";

export function usePages<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, deps: unknown[]) {
  const first = useLoad(() => fetchPage(null), deps);
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  useEffect(() => {
    if (!first.data) return;
    setItems(first.data.data);
    setCursor(first.data.nextCursor);
  }, [first.data]);
  const more = useAction(async () => {
    const page = await fetchPage(cursor);
    setItems((shown) => [...shown, ...page.data]);
    setCursor(page.nextCursor);
  });
  return { items, first, more, hasMore: cursor !== null && !first.loading };
}

export function LoadMore({ pages }: { pages: ReturnType<typeof usePages> }) {
  return (
    <>
      {pages.more.error ? <ProblemNotice error={pages.more.error} /> : null}
      {pages.hasMore ? (
        <p>
          <Button
            kind="secondary"
            busy={pages.more.busy}
            busyLabel="Loading more…"
            onClick={() => void pages.more.run()}
          >
            Load more
          </Button>
        </p>
      ) : null}
    </>
  );
}

import type { Migration } from './migrations'

/** The Site object's tables, in the order they were introduced. */
export const SITE_MIGRATIONS: readonly Migration[] = [
  {
    name: '001-registry',
    sql: `
      CREATE TABLE posts (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        title TEXT NOT NULL,
        author TEXT NOT NULL,
        date_ms INTEGER NOT NULL,
        updated_ms INTEGER,
        category TEXT,
        tags TEXT NOT NULL,
        summary TEXT,
        draft INTEGER NOT NULL,
        body TEXT NOT NULL,
        excerpt_html TEXT NOT NULL,
        origin TEXT NOT NULL,
        sync_hash TEXT,
        created_ms INTEGER NOT NULL,
        modified_ms INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        kv_pending INTEGER NOT NULL,
        room_pending INTEGER NOT NULL
      );
      CREATE INDEX posts_by_date ON posts (status, date_ms, id);
      CREATE INDEX posts_pending ON posts (kv_pending, room_pending);
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      CREATE TABLE stats (post_id TEXT PRIMARY KEY, views INTEGER NOT NULL, comments INTEGER NOT NULL);
      CREATE TABLE recent_comments (
        post_id TEXT NOT NULL,
        comment_id INTEGER NOT NULL,
        author TEXT NOT NULL,
        excerpt TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        PRIMARY KEY (post_id, comment_id)
      );
      CREATE INDEX recent_by_time ON recent_comments (created_ms);
      CREATE TABLE chunks (idx INTEGER PRIMARY KEY, kv_key TEXT NOT NULL);
      CREATE TABLE garbage (kv_key TEXT PRIMARY KEY, delete_after_ms INTEGER NOT NULL);
      CREATE TABLE flags (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `,
  },
  {
    // Which posts (at which revision) each chunk holds, so a publish rebuilds only changed chunks.
    name: '002-chunk-signatures',
    sql: `ALTER TABLE chunks ADD COLUMN signature TEXT NOT NULL DEFAULT ''`,
  },
  {
    // Which renderer made each stored post, so a new one re-renders the older posts.
    name: '003-render-version',
    sql: `ALTER TABLE posts ADD COLUMN render_version TEXT NOT NULL DEFAULT ''`,
  },
  {
    // Links between posts, for each post's 被引用 (cited by) list, and the lists still to send.
    name: '004-links',
    sql: `
      CREATE TABLE links (from_id TEXT NOT NULL, to_id TEXT NOT NULL, PRIMARY KEY (from_id, to_id));
      CREATE INDEX links_to ON links (to_id);
      CREATE TABLE backlinks_pending (to_id TEXT PRIMARY KEY);
    `,
  },
  {
    // Views per post per day (pushed by the post objects), for the stats and their charts.
    name: '005-daily-views',
    sql: `CREATE TABLE daily_views (post_id TEXT NOT NULL, day TEXT NOT NULL, views INTEGER NOT NULL, PRIMARY KEY (post_id, day));`,
  },
  {
    // Every comment's status, writer and excerpt (pushed by the post objects): the moderation queue,
    // "first-time commenter", and erasing a commenter across posts. The post objects hold the truth.
    name: '006-comment-index',
    sql: `
      CREATE TABLE comment_index (
        post_id TEXT NOT NULL,
        comment_id INTEGER NOT NULL,
        status TEXT NOT NULL,
        author TEXT NOT NULL,
        email TEXT,
        excerpt TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        PRIMARY KEY (post_id, comment_id)
      );
      CREATE INDEX comment_index_status ON comment_index (status, created_ms);
      CREATE INDEX comment_index_email ON comment_index (email);
      CREATE INDEX comment_index_author ON comment_index (author);
      INSERT INTO comment_index (post_id, comment_id, status, author, email, excerpt, created_ms)
        SELECT post_id, comment_id, 'approved', author, NULL, excerpt, created_ms FROM recent_comments;
    `,
  },
  {
    // Front matter `comments: false` closes a post's comments.
    name: '007-comments-closed',
    sql: `ALTER TABLE posts ADD COLUMN comments_closed INTEGER NOT NULL DEFAULT 0`,
  },
  {
    // Categories and tags get their own list chunks (list_chunks replaces chunks: list '' is the
    // front page's, 'category:<slug>' and 'tag:<slug>' a term's); posts keep their series and the
    // slugs their front matter declares; every post's previous/next/series (nav) is pushed to its
    // object; search_pending queues a post for the search index. The signature prefix 'v2|' makes
    // every chunk be written once more with the slugs list entries now carry.
    name: '008-terms-nav-search',
    sql: `
      ALTER TABLE posts ADD COLUMN series TEXT;
      ALTER TABLE posts ADD COLUMN category_slug TEXT;
      ALTER TABLE posts ADD COLUMN tag_slugs TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE posts ADD COLUMN search_pending INTEGER NOT NULL DEFAULT 0;
      UPDATE posts SET search_pending = 1 WHERE status != 'deleted';
      CREATE TABLE list_chunks (list TEXT NOT NULL, idx INTEGER NOT NULL, kv_key TEXT NOT NULL, signature TEXT NOT NULL, PRIMARY KEY (list, idx));
      INSERT INTO list_chunks (list, idx, kv_key, signature) SELECT '', idx, kv_key, signature FROM chunks;
      DROP TABLE chunks;
      CREATE TABLE current_keys (name TEXT PRIMARY KEY, kv_key TEXT NOT NULL);
      CREATE TABLE nav (post_id TEXT PRIMARY KEY, json TEXT NOT NULL, sent INTEGER NOT NULL);
      CREATE TABLE term_summary (kind TEXT NOT NULL, slug TEXT NOT NULL, name TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (kind, slug));
      ALTER TABLE recent_comments ADD COLUMN html TEXT NOT NULL DEFAULT '';
      INSERT INTO flags (name, value) VALUES ('list_dirty', 1) ON CONFLICT(name) DO UPDATE SET value = 1;
    `,
  },
  {
    // The previous versions of each post (every replace keeps the one it replaces; the newest
    // REVISIONS_KEPT per post stay): metadata as JSON (PostFields without body) and the markdown.
    // `moves`: ids a post was renamed from (their KV key holds a redirect; the id is not reused).
    name: '009-revisions',
    sql: `
      CREATE TABLE revisions (
        post_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        status TEXT NOT NULL,
        title TEXT NOT NULL,
        date_ms INTEGER NOT NULL,
        modified_ms INTEGER NOT NULL,
        origin TEXT NOT NULL,
        fields TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (post_id, revision)
      );
      CREATE TABLE moves (from_id TEXT PRIMARY KEY, to_id TEXT NOT NULL, moved_ms INTEGER NOT NULL);
    `,
  },
  {
    // Standalone pages (`type: page`: kind 'page', in no list) and permalink redirects: each post's
    // aliases (JSON, as published), who owns each normalised path, and the paths whose KV key
    // (`v1:alias:<hash>`) is still to be written or deleted.
    name: '010-pages-aliases',
    sql: `
      ALTER TABLE posts ADD COLUMN kind TEXT NOT NULL DEFAULT 'post';
      ALTER TABLE posts ADD COLUMN in_nav INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE posts ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]';
      CREATE TABLE aliases (path TEXT PRIMARY KEY, post_id TEXT NOT NULL);
      CREATE INDEX aliases_by_post ON aliases (post_id);
      CREATE TABLE alias_pending (path TEXT PRIMARY KEY);
    `,
  },
  {
    // The posts table again, with each post's text (excerpt HTML, markdown: ~18 KB a post) in its last
    // columns. SQLite keeps a row's start in the table page and the rest in a chain of overflow pages;
    // a column after the text (ADD COLUMN appends: render_version, kind, search_pending…) could only be
    // read by walking that chain, so every count and list query read the whole table (~18 MB at 1,000
    // posts, ~10 ms each, several per snapshot). Indexes for the alarm's checks (the partial one holds
    // only the posts with a write pending: its condition is the alarm's query, PENDING_POSTS) and for
    // the listed posts. A column added later goes before the text only by rebuilding the table again.
    name: '011-posts-text-last',
    sql: `
      CREATE TABLE posts_011 (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        title TEXT NOT NULL,
        author TEXT NOT NULL,
        date_ms INTEGER NOT NULL,
        updated_ms INTEGER,
        category TEXT,
        tags TEXT NOT NULL,
        summary TEXT,
        draft INTEGER NOT NULL,
        origin TEXT NOT NULL,
        sync_hash TEXT,
        created_ms INTEGER NOT NULL,
        modified_ms INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        kv_pending INTEGER NOT NULL,
        room_pending INTEGER NOT NULL,
        render_version TEXT NOT NULL DEFAULT '',
        comments_closed INTEGER NOT NULL DEFAULT 0,
        series TEXT,
        category_slug TEXT,
        tag_slugs TEXT NOT NULL DEFAULT '{}',
        search_pending INTEGER NOT NULL DEFAULT 0,
        kind TEXT NOT NULL DEFAULT 'post',
        in_nav INTEGER NOT NULL DEFAULT 0,
        aliases TEXT NOT NULL DEFAULT '[]',
        excerpt_html TEXT NOT NULL,
        body TEXT NOT NULL
      );
      INSERT INTO posts_011 (
          rowid, id, status, title, author, date_ms, updated_ms, category, tags, summary, draft, origin, sync_hash,
          created_ms, modified_ms, revision, kv_pending, room_pending, render_version, comments_closed, series,
          category_slug, tag_slugs, search_pending, kind, in_nav, aliases, excerpt_html, body
        )
        SELECT
          rowid, id, status, title, author, date_ms, updated_ms, category, tags, summary, draft, origin, sync_hash,
          created_ms, modified_ms, revision, kv_pending, room_pending, render_version, comments_closed, series,
          category_slug, tag_slugs, search_pending, kind, in_nav, aliases, excerpt_html, body
        FROM posts;
      DROP TABLE posts;
      ALTER TABLE posts_011 RENAME TO posts;
      CREATE INDEX posts_by_date ON posts (status, date_ms, id);
      CREATE INDEX posts_listed ON posts (status, kind, date_ms, id);
      CREATE INDEX posts_pending ON posts (id) WHERE kv_pending = 1 OR room_pending = 1 OR search_pending = 1;
      CREATE INDEX posts_render_version ON posts (render_version);
    `,
  },
  {
    // Pinned comments (置顶) in the moderation list: whether each comment is top-level (only such a one
    // can be pinned; NULL until its post's object reports it again) and whether it is pinned.
    name: '012-comment-index-pins',
    sql: `
      ALTER TABLE comment_index ADD COLUMN top_level INTEGER;
      ALTER TABLE comment_index ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    // Related posts (相关文章) travel with each post's neighbours: a site with published posts
    // rebuilds its lists once, in the background (the constructor sees the flag), which works them
    // out and sends them to every post's object; until then the pages show none.
    name: '013-related-posts',
    sql: `
      INSERT INTO flags (name, value) SELECT 'list_dirty', 1 WHERE EXISTS (SELECT 1 FROM posts WHERE status = 'published')
        ON CONFLICT(name) DO UPDATE SET value = 1;
    `,
  },
  {
    // Front matter `reactions: false`. A post's yes/no settings share one column as bits (site.ts
    // POST_FLAGS: 1 comments closed, 2 reactions off): a new column would land after the text (ADD
    // COLUMN appends; see 011) or take a rebuild of the whole table, while a rename keeps every row.
    name: '014-post-flags',
    sql: `ALTER TABLE posts RENAME COLUMN comments_closed TO flags`,
  },
  {
    // Whether a chunk key is still named (keyInUse: before each chunk write, and before each retired
    // key is deleted) was a scan of every list's chunks.
    name: '015-list-chunk-keys',
    sql: `CREATE INDEX list_chunks_kv_key ON list_chunks (kv_key)`,
  },
  {
    // The navs still to send (sendNav, every flush) were found by reading every post's nav.
    name: '016-unsent-navs',
    sql: `CREATE INDEX nav_unsent ON nav (sent) WHERE sent = 0`,
  },
]

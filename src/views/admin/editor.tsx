import type { FC } from 'hono/jsx'
import type { Strings } from '../../i18n'
import { CsrfField } from './layout'
import { shortDate as shortDateOf } from './lists'
import { POST_ID_MAX, SLUG_PATTERN } from '../../lib/slug'

export interface EditorProps {
  t: Strings
  csrf: string
  /** null: a new post. */
  id: string | null
  /** The id typed into a new post's form (kept after an error). */
  newId?: string
  source: string
  /** The revision the text was read at (`"r12"`), sent back as If-Match. */
  etag?: string
  status?: 'published' | 'draft' | 'scheduled'
}

/**
 * The markdown editor: one textarea with the post file (front matter + body). Without JavaScript it
 * is a plain form (save as draft / publish); /assets/admin.js adds the live preview (the server's dry
 * run, debounced) and the image upload.
 */
export const Editor: FC<EditorProps> = ({ t, csrf, id, newId, source, etag, status }) => {
  const a = t.admin
  const action = id === null ? '/admin/new' : `/admin/edit/${id}`
  const previewUrl = id === null ? '/admin/api/posts?dry_run=1' : `/admin/api/posts/${id}?dry_run=1`
  return (
    <div class="admin-editor">
      <form
        method="post"
        action={action}
        class="admin-form admin-edit-form"
        data-preview-url={previewUrl}
        data-preview-method={id === null ? 'POST' : 'PUT'}
      >
        <CsrfField token={csrf} />
        {etag ? <input type="hidden" name="etag" value={etag} /> : null}
        {id === null ? (
          <p>
            <label for="admin-id">{a.idLabel}</label>
            <input
              id="admin-id"
              name="id"
              type="text"
              value={newId ?? ''}
              pattern={SLUG_PATTERN}
              maxlength={POST_ID_MAX}
              aria-describedby="admin-id-hint"
            />
            <span id="admin-id-hint" class="admin-hint">
              {a.idHint}
            </span>
          </p>
        ) : null}
        <p>
          <label for="admin-source">{a.sourceLabel}</label>
          <span id="admin-source-hint" class="admin-hint">
            {a.sourceHint}
          </span>
          <textarea id="admin-source" name="source" rows={24} spellcheck={false} aria-describedby="admin-source-hint" required>
            {source}
          </textarea>
        </p>
        <p class="admin-upload" hidden data-upload="" data-uploading={a.uploading} data-failed={a.uploadFailed}>
          <label for="admin-image">{a.uploadImage}</label>
          <input id="admin-image" type="file" accept="image/png,image/jpeg,image/gif,image/webp,image/avif" />
          <span class="admin-hint" data-upload-status="" role="status"></span>
        </p>
        <p class="admin-buttons">
          <button type="submit" name="intent" value="publish" class="admin-primary">
            {a.publish}
          </button>{' '}
          <button type="submit" name="intent" value="draft">
            {status === 'published' ? a.unpublish : a.saveDraft}
          </button>
        </p>
      </form>
      <section class="admin-preview" aria-labelledby="admin-preview-title">
        <h2 id="admin-preview-title">{a.previewTitle}</h2>
        <p class="admin-hint">{a.previewHint}</p>
        <p class="admin-preview-status" data-preview-status="" role="status"></p>
        {/* The post's header as its page shows it (title, author and date, category, tags), filled in
            by admin.js from the dry run's fields as text, never as markup. */}
        <header
          class="post-header"
          data-preview-header=""
          data-by={t.by}
          data-category={t.category}
          data-tags={t.tags}
          data-updated={t.updatedOn}
          hidden
        >
          <h3 class="post-title" data-preview-title=""></h3>
          <div class="post-meta" data-preview-meta=""></div>
          <div class="post-taxonomy" data-preview-terms=""></div>
        </header>
        <div class="post-body" data-preview="" data-math-errors={a.mathErrors} data-failed={a.previewFailed}>
          <p class="admin-hint">{a.previewEmpty}</p>
        </div>
      </section>
      {id !== null ? (
        <section class="admin-danger">
          <p>
            <a href={`/admin/edit/${id}/revisions`}>{a.revisions}</a>
            {status === 'published' ? (
              <>
                {' · '}
                <a href={`/archives/${id}`}>{a.view}</a>
              </>
            ) : null}
          </p>
          {status !== 'published' ? (
            <form method="post" action={`/admin/edit/${id}/preview`}>
              <CsrfField token={csrf} />
              <button type="submit">{a.previewLink}</button>
            </form>
          ) : null}
          <form method="post" action={`/admin/edit/${id}/rename`} class="admin-rename" data-confirm={a.confirmRename}>
            <CsrfField token={csrf} />
            <label for="admin-rename-to">{a.renameLabel}</label>{' '}
            <input
              id="admin-rename-to"
              name="to"
              type="text"
              required
              pattern={SLUG_PATTERN}
              maxlength={POST_ID_MAX}
              value={id}
              aria-describedby="admin-rename-hint"
            />{' '}
            <button type="submit">{a.rename}</button>
            <span id="admin-rename-hint" class="admin-hint">
              {a.renameHint}
            </span>
          </form>
          <form method="post" action={`/admin/edit/${id}/delete`} data-confirm={a.confirmDelete}>
            <CsrfField token={csrf} />
            <button type="submit" class="admin-delete">
              {a.deletePost}
            </button>
          </form>
        </section>
      ) : null}
    </div>
  )
}

/** A revision as GET /api/posts/:id/revisions lists it. */
export interface RevisionRow {
  revision: number
  etag: string
  current: boolean
  status: string
  title: string
  date: string | null
  modifiedAt: string
  origin: string
  size: number
}

export const RevisionList: FC<{ t: Strings; csrf: string; id: string; revisions: RevisionRow[] }> = ({ t, csrf, id, revisions }) => {
  const a = t.admin
  return (
    <table class="admin-table">
      <thead>
        <tr>
          <th scope="col">{a.revisions}</th>
          <th scope="col">{a.colTitle}</th>
          <th scope="col">{a.colDate}</th>
          <th scope="col">{a.colActions}</th>
        </tr>
      </thead>
      <tbody>
        {revisions.map((r) => (
          <tr data-revision={String(r.revision)}>
            <td>
              r{r.revision}
              {r.current ? ` (${a.current})` : ''}
            </td>
            <td>{r.title}</td>
            <td>{shortDateOf(r.modifiedAt)}</td>
            <td class="admin-actions">
              {r.current ? (
                <a href={`/admin/edit/${id}`}>{a.edit}</a>
              ) : (
                <>
                  <a href={`/admin/edit/${id}/revisions/${r.revision}`}>{a.view}</a>
                  <RestoreForm t={t} csrf={csrf} id={id} n={r.revision} />
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export const RestoreForm: FC<{ t: Strings; csrf: string; id: string; n: number }> = ({ t, csrf, id, n }) => (
  <form method="post" action={`/admin/edit/${id}/revisions/${n}/restore`} data-confirm={t.admin.confirmRestore}>
    <CsrfField token={csrf} />
    <button type="submit">{t.admin.restore}</button>
  </form>
)

/** One kept version: its file, read-only, and the restore button. */
export const RevisionView: FC<{ t: Strings; csrf: string; id: string; n: number; source: string }> = ({ t, csrf, id, n, source }) => (
  <>
    <p>
      <a href={`/admin/edit/${id}/revisions`}>{t.admin.revisions}</a>
    </p>
    <RestoreForm t={t} csrf={csrf} id={id} n={n} />
    <pre class="admin-source" tabindex={0}>
      {source}
    </pre>
  </>
)

import { MONTH_NAMES, monthAbbr } from './lib/dates'
import type { CommentOrder, ReactionKey } from './model'

/**
 * Every string the UI shows, in one place. `LANGUAGE` in wrangler.toml picks the dictionary;
 * a site that wants another wording edits it here.
 */
export interface Strings {
  htmlLang: string
  by: string
  readers: (n: number) => string
  comments: (n: number) => string
  cite: string
  readMore: string
  recentComments: string
  noRecentComments: string
  popularPosts: string
  /** The sidebar's list of standalone pages with `nav: true` (关于, 留言板). */
  sitePages: string
  morePopular: string
  /** The sidebar's link to /random (a random published post). */
  randomPost: string
  /** The sidebar's blogroll (SITE_LINKS). */
  siteLinks: string
  popularIntro: string
  trendTitle: (days: number) => string
  noPosts: string
  newer: string
  older: string
  pageOf: (n: number, total: number) => string
  /** The accessible name of a list's page links (« newer | page n of m | older »). */
  pagination: string
  updatedOn: string
  category: string
  tags: string
  contents: string
  citeTitle: string
  citedBy: string
  citeIntro: string
  citePlain: string
  citeBibtex: string
  blogPost: string
  retrievedFrom: string
  /** A post's title in the plain-text citation, up to the bracket: in book-title marks (《…》, the reference blog's convention) in Chinese, in quotation marks and a space in English. */
  citedTitle: (title: string) => string
  /** A post's date in the plain-text citation (month 1–12): `May. 03, 2023` in Chinese (the reference blog's form), `2023, May 3` in English (APA's). */
  citedDate: (year: number, month: number, day: number) => string
  /** The copy buttons of the citation block (shown only with JavaScript). */
  copy: string
  copied: string
  /** When the clipboard is not available: the text is selected instead. */
  copyFailed: string
  copyPlainLabel: string
  copyBibtexLabel: string
  /** The download links of the citation block. */
  downloadBibtex: string
  downloadRis: string
  downloadCsl: string
  commentsTitle: (n: number) => string
  noComments: string
  reply: string
  replyTo: (name: string) => string
  cancelReply: string
  leaveComment: string
  fieldAuthor: string
  fieldEmail: string
  fieldEmailHint: string
  fieldUrl: string
  fieldBody: string
  fieldBodyHint: string
  /** The comment box's toolbar (comments.js): the emoji panel's button and the panel's name. */
  emojiButton: string
  emojiPanel: string
  /** The toolbar's formula buttons: `$…$` and `$$…$$` around the selection (or empty, the caret inside). */
  mathInline: string
  mathDisplay: string
  mathInlineTitle: string
  mathDisplayTitle: string
  submit: string
  inReplyTo: string
  /** The author badge next to the blog author's own comments. */
  authorBadge: string
  /** The badge of a comment the blog's author pinned (its thread is shown first). */
  pinnedBadge: string
  /** The like button (赞) of a comment, its tooltip, and what comments.js says when a like could not be sent. */
  like: string
  likeTitle: (author: string) => string
  likeFailed: string
  /** The post reactions (文章反应) under a post: the heading, each reaction's label, the tooltip, and what comments.js says when one could not be sent. */
  reactionsTitle: string
  reactionLabels: Record<ReactionKey, string>
  reactionTitle: (label: string) => string
  reactionFailed: string
  /** The mark on an edited comment; `editedAt` + the time is its tooltip. */
  edited: string
  editedAt: string
  /**
   * comments.js's relative time beside a comment's date ("3 minutes ago", 3分钟前): under a minute,
   * then each unit's words for one and for more, `{n}` the number.
   */
  timeAgo: { justNow: string } & Record<'minute' | 'hour' | 'day' | 'month' | 'year', [one: string, many: string]>
  /** Shown on a writer's own comment while it waits for approval (only they see it). */
  awaitingModeration: string
  /** The placeholder of a deleted comment that still has replies. */
  commentDeleted: string
  /** The "in reply to" link to a comment whose author is not on this page, e.g. 评论 #12. */
  commentNumber: (id: number) => string
  /** The comment pages navigation. */
  commentPages: string
  /** The comment order links above the comments (最早 / 最新 / 最热): their label, and each order's name. */
  commentSort: string
  commentOrders: Record<CommentOrder, string>
  commentPage: (n: number) => string
  prevCommentPage: string
  nextCommentPage: string
  /** The comment form's preview button and the heading of the preview. */
  preview: string
  previewTitle: string
  previewFailed: string
  notifyReplies: string
  /** The label of the spam trap field (hidden from people). */
  honeypotLabel: string
  moderationHintFirst: string
  moderationHintAll: string
  turnstileNeedsJs: string
  commentsClosed: string
  /** A writer's own comment, while it may still be edited (shown with JavaScript). */
  editComment: string
  deleteComment: string
  saveComment: string
  cancelEdit: string
  editCommentLabel: string
  confirmDeleteComment: string
  requestFailed: string
  /** The unsubscribe page of a reply notification e-mail (routes/pages.tsx). */
  badLink: string
  unsubscribeTitle: string
  unsubscribeText: string
  unsubscribeButton: string
  unsubscribed: string
  /** The unsubscribe button's form posted from another site (or by a browser that hid where it came from): 403. */
  unsubscribeCrossSite: string
  notFoundTitle: string
  notFoundText: string
  goneTitle: string
  goneText: string
  errorTitle: string
  badRequestTitle: string
  /** A 4xx for an address that was only read (GET/HEAD): nothing was submitted. */
  invalidRequestTitle: string
  /** A page's form from another site, where the form has no words of its own (the comment form's: commentErrors.crossSite). */
  crossSiteForm: string
  /** 405: a method a reader's address does not take (PUT /archives/x); `allow` lists those it takes. */
  methodNotAllowedTitle: string
  methodNotAllowedText: (allow: string[]) => string
  backToPost: string
  unavailableTitle: string
  unavailableText: string
  anchorLabel: string
  /** The footnotes' heading (for screen readers; the rule above the notes shows it) and their ↩ links' label. */
  footnotesHeading: string
  footnoteBack: string
  poweredBy: string
  /** The skip link, the first thing a keyboard reaches on every page. */
  skipToContent: string
  /** The header navigation: its accessible name and its links. */
  siteNav: string
  navHome: string
  navPopular: string
  navCategories: string
  navArchive: string
  /** The banner of a draft's or scheduled post's preview page (/preview/:id). */
  previewDraft: string
  previewScheduled: (when: string) => string
  previewPublished: string
  /** Finding posts: category and tag pages, their index pages, the archive, series and neighbours. */
  categoryTitle: (name: string) => string
  tagTitle: (name: string) => string
  postCount: (n: number) => string
  allCategories: string
  allTags: string
  moreTags: string
  noTerms: string
  archiveTitle: string
  archiveIntro: (n: number) => string
  /** A month heading of the archive, e.g. 2024年5月. */
  monthHeading: (year: number, month: number) => string
  seriesTitle: (name: string) => string
  seriesPart: (n: number, total: number) => string
  /** The heading of a post's related posts (README: Categories, tags, archive and series). */
  relatedPosts: string
  prevPost: string
  nextPost: string
  postNav: string
  /** Feeds (routes/feeds.ts): the comments feed's title and one comment's item title. */
  commentsFeedTitle: (site: string) => string
  commentFeedItem: (author: string, postTitle: string) => string
  /** A post's own comments feed (/archives/:id/comments/feed): its title, and its alternate link's on the post page. */
  postCommentsFeedTitle: (postTitle: string) => string
  /** The theme toggle (shown by /assets/theme.js): its name and the label of each mode. */
  themeToggleLabel: string
  themeLight: string
  themeDark: string
  themeSystem: string
  /** The footer's licence and reprint notice: the text before and after the licence's linked name. */
  licenseBefore: string
  licenseAfter: string
  /** Search (routes/search.tsx): the form, the results page and its errors. */
  search: string
  searchLabel: string
  /** The name of the header's search box (the search page's own form is searchLabel). */
  searchSite: string
  searchTitle: (q: string) => string
  searchIntro: string
  searchCount: (n: number) => string
  searchNone: string
  searchNoTerms: string
  searchTooLong: (max: number) => string
  searchBadChars: string
  searchBadPage: string
  /** Why a reader's comment, preview, edit or delete was refused (the page, comments.js and the comment API). */
  commentErrors: CommentErrorStrings
  /** The comment notification e-mails and webhooks (services/notify.ts). */
  notice: NoticeStrings
  /** The web admin (routes/admin.tsx). */
  admin: AdminStrings
}

/**
 * The reasons a reader's comment is refused: shown on the post page after a form post, by
 * comments.js (preview, edit, delete) and as `error.message` of the comment API (whose `code` stays
 * the same in every language). The authoring API keeps its English messages; the admin shows them in
 * the site's language (AdminErrorStrings).
 */
export interface CommentErrorStrings {
  /** Several reasons at once (a form with more than one bad field), as one text. */
  several: (reasons: string[]) => string
  authorRequired: string
  authorTooLong: (max: number) => string
  authorInvalid: string
  emailInvalid: string
  emailTooLong: (max: number) => string
  urlInvalid: string
  urlTooLong: (max: number) => string
  bodyRequired: string
  bodyTooLong: (max: number) => string
  bodyInvalid: string
  parentInvalid: string
  keyInvalid: (max: number) => string
  /** The Idempotency-Key header and the `key` field name different keys. */
  keyMismatch: string
  notifyInvalid: string
  /** Reply mails asked for without an e-mail address to send them to. */
  notifyNeedsEmail: string
  intentInvalid: string
  /** The comment API was sent JSON that is not an object. */
  notAnObject: string
  /** The honeypot field was filled in. */
  automated: string
  formTimeMissing: string
  tooFast: (seconds: number) => string
  formExpired: string
  /** The comment form posted from another site, or by a browser that hid where it came from (lib/request.ts sameSiteForm): 403. */
  crossSite: string
  /** A request larger than the server takes (it is not read, so the text cannot be given back). */
  requestTooLarge: (bytes: number) => string
  /** A form body that is not the form data its Content-Type says (multipart without its boundary, cut short). */
  formUnreadable: string
  /**
   * lib/request.ts's refusals of a body, as a page gives them (pageReason; the API's stay English): a
   * Content-Length that is not a number (`bad_content_length`), a body that is not UTF-8 (`invalid_encoding`).
   */
  badContentLength: string
  invalidEncoding: string
  /** The comment form with bytes that are not UTF-8 (lib/request.ts formIsUtf8): 400, the text given back with U+FFFD where they were. */
  formNotUtf8: string
  /** A post page's `?order=` that is none of the comment orders (`invalid_order`, also by pageReason): 400. */
  badCommentOrder: string
  postNotFound: (id: string) => string
  postDeleted: string
  postMoved: (to: string) => string
  closed: string
  turnstileRequired: string
  turnstileFailed: string
  unrenderable: string
  tooManyLinks: (max: number, found: number) => string
  tooMuchMath: (max: number, found: number) => string
  renderedTooLarge: string
  tooManyComments: (seconds: number) => string
  tooManyPreviews: (seconds: number) => string
  keyReused: string
  duplicate: string
  parentNotFound: (id: number) => string
  commentNotFound: (id: number) => string
  /** No edit token at all: `minutes` is COMMENT_EDIT_MINUTES. */
  editNeedsBrowser: (minutes: number) => string
  deleteNeedsBrowser: (minutes: number) => string
  /** An edit token that is not this comment's. */
  notThisBrowser: string
  editWindowClosed: string
  /** A like (赞) from a bot, crawler or script (the rule views use): 403. */
  likeByBot: string
  /** A like sent from another site, or by a browser that hid where it came from: 403. */
  likeCrossSite: string
  tooManyLikes: (seconds: number) => string
  /** A post reaction from a bot (the rule likes use): 403; from another site: 403; too many (the likes' limit, shared): 429. */
  reactionByBot: string
  reactionCrossSite: string
  tooManyReactions: (seconds: number) => string
  /** A reaction key REACTIONS does not offer (`keys`: those it does): 400. */
  unknownReaction: (keys: string) => string
  /** REACTIONS is empty: the reaction routes answer 404. */
  reactionsOff: string
  /** A reaction sent to a standalone page (README: Pages), which has none. */
  reactionsOnPage: string
  /** A reaction sent to a post whose front matter says `reactions: false`. */
  reactionsOffHere: string
}

const commentErrorsZh: CommentErrorStrings = {
  several: (reasons) => reasons.join(''),
  authorRequired: '请填写昵称。',
  authorTooLong: (max) => `昵称太长了，最多 ${max} 个字符。`,
  authorInvalid: '昵称里不能有换行、制表符等控制字符。',
  emailInvalid: '邮箱地址的格式不对。',
  emailTooLong: (max) => `邮箱地址太长了，最多 ${max} 个字符。`,
  urlInvalid: '网址须以 http:// 或 https:// 开头。',
  urlTooLong: (max) => `网址太长了，最多 ${max} 个字符。`,
  bodyRequired: '请填写评论内容。',
  bodyTooLong: (max) => `评论太长了，最多 ${max} 个字符。`,
  bodyInvalid: '评论里有控制字符或无效的 Unicode 字符，请删掉后再提交。',
  parentInvalid: '要回复的评论编号无效。',
  keyInvalid: (max) => `幂等键（key）只能由字母、数字和 . _ : - 组成，最多 ${max} 个字符。`,
  keyMismatch: 'Idempotency-Key 请求头与 key 字段不一致。',
  notifyInvalid: '“回复时邮件通知我”的取值无效（应为 1 或 0）。',
  notifyNeedsEmail: '要在有人回复时收到邮件，请填写邮箱（或取消勾选邮件通知）。',
  intentInvalid: '无效的操作（只能是预览或发表）。',
  notAnObject: '请以 JSON 对象提交评论。',
  automated: '这条评论看起来是程序自动提交的，没有被接受。',
  formTimeMissing: '请通过文章页面上的评论表单提交：表单的时间标记缺失或无效，请刷新页面后再试。',
  tooFast: (seconds) => `提交得太快了，请至少用 ${seconds} 秒填写后再提交。`,
  formExpired: '这个表单已经过期，请刷新页面后重新提交。',
  crossSite: '出于安全考虑，本站只接受从本站页面提交的评论，请回到评论所在的页面重新提交。',
  requestTooLarge: (bytes) => `提交的内容超过了服务器接收的上限（${Math.floor(bytes / 1024)} KB），请缩短评论后再试。`,
  formUnreadable: '无法读取提交的表单（内容不完整或格式不对），请回到页面重新提交。',
  badContentLength: '请求的 Content-Length 不是字节数，提交的内容没有被读取，请回到页面重新提交。',
  invalidEncoding: '提交的内容不是有效的 UTF-8 编码，无法读取，请回到页面重新提交。',
  formNotUtf8: '提交的内容中有不是有效 UTF-8 编码的字符（下面显示为 �），评论没有保存，请改正后重新提交。',
  badCommentOrder: '评论排序只能是 oldest（最早）、newest（最新）或 hot（最热）。',
  postNotFound: (id) => `没有找到已发布的文章“${id}”。`,
  postDeleted: '这篇文章已被删除。',
  postMoved: (to) => `这篇文章已移到“${to}”，评论需要发到新地址。`,
  closed: '这篇文章的评论已关闭。',
  turnstileRequired: '请先完成人机验证，再提交评论。',
  turnstileFailed: '人机验证没有通过，请重试。',
  unrenderable: '评论的嵌套层次太深（列表或引用套得太多），无法显示，请简化后再提交。',
  tooManyLinks: (max, found) => `一条评论最多只能有 ${max} 个链接（这条有 ${found} 个）。`,
  tooMuchMath: (max, found) => `一条评论最多只能有 ${max} 个公式（这条有 ${found} 个）。`,
  renderedTooLarge: '这条评论排版后的内容太大，请缩短内容或拆分其中的公式。',
  tooManyComments: (seconds) => `短时间内发表的评论太多了，请 ${seconds} 秒后再试。`,
  tooManyPreviews: (seconds) => `短时间内预览的次数太多了，请 ${seconds} 秒后再试。`,
  keyReused: '这个幂等键（key）已经用于另一条内容不同的评论。',
  duplicate: '您已经在这里发表过同样的评论了。',
  parentNotFound: (id) => `要回复的评论 #${id} 不存在或尚未显示。`,
  commentNotFound: (id) => `评论 #${id} 不存在。`,
  editNeedsBrowser: (minutes) =>
    minutes > 0 ? `只有发表这条评论的浏览器能在发表后 ${minutes} 分钟内修改它（博主随时可以修改）。` : '评论发表后只有博主可以修改。',
  deleteNeedsBrowser: (minutes) =>
    minutes > 0 ? `只有发表这条评论的浏览器能在发表后 ${minutes} 分钟内删除它（博主随时可以删除）。` : '评论发表后只有博主可以删除。',
  notThisBrowser: '这条评论不是在这个浏览器里发表的，不能修改或删除。',
  editWindowClosed: '这条评论已经过了可以修改的时间。',
  likeByBot: '程序、爬虫和机器人不能点赞，请用浏览器打开文章页面再点。',
  likeCrossSite: '出于安全考虑，只能在本站的页面上点赞，请回到评论所在的页面再点。',
  tooManyLikes: (seconds) => `短时间内点赞的次数太多了，请 ${seconds} 秒后再试。`,
  reactionByBot: '程序、爬虫和机器人不能对文章表态，请用浏览器打开文章页面再选。',
  reactionCrossSite: '出于安全考虑，只能在本站的文章页面上表态，请回到文章页面再选。',
  tooManyReactions: (seconds) => `短时间内表态的次数太多了，请 ${seconds} 秒后再试。`,
  unknownReaction: (keys) => `没有这种反应，可选的是：${keys}。`,
  reactionsOff: '本站没有开启文章反应。',
  reactionsOnPage: '独立页面没有文章反应。',
  reactionsOffHere: '这篇文章没有开放反应。',
}

/** "1 second", "3 seconds", "5,318 readers": an English count (digits grouped by thousands) with its noun in the singular for one. */
const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

const commentErrorsEn: CommentErrorStrings = {
  several: (reasons) => reasons.join(' '),
  authorRequired: 'Please enter your name.',
  authorTooLong: (max) => `Your name is too long (at most ${max} characters).`,
  authorInvalid: 'Your name may not contain line breaks, tabs or other control characters.',
  emailInvalid: 'The e-mail address is not valid.',
  emailTooLong: (max) => `The e-mail address is too long (at most ${max} characters).`,
  urlInvalid: 'The website address must start with http:// or https://.',
  urlTooLong: (max) => `The website address is too long (at most ${max} characters).`,
  bodyRequired: 'Please write a comment.',
  bodyTooLong: (max) => `The comment is too long (at most ${max.toLocaleString('en-US')} characters).`,
  bodyInvalid: 'The comment contains control characters or broken Unicode; remove them and submit again.',
  parentInvalid: 'The comment to reply to has no valid number.',
  keyInvalid: (max) => `The key (Idempotency-Key) may contain only letters, digits and . _ : - (at most ${max} characters).`,
  keyMismatch: 'The Idempotency-Key header and the key field differ.',
  notifyInvalid: 'The “E-mail me when someone replies” box has an invalid value (it must be 1 or 0).',
  notifyNeedsEmail: 'To be e-mailed when someone replies, give your e-mail address (or untick the box).',
  intentInvalid: 'Invalid action (it must be preview or post).',
  notAnObject: 'Send a JSON object.',
  automated: 'This comment looks automated and was not accepted.',
  formTimeMissing: 'Please post from the comment form on the post’s page (its time stamp is missing or not valid); reload the page.',
  tooFast: (seconds) => `That was very fast: please take at least ${count(seconds, 'second')} and post again.`,
  formExpired: 'This form is too old; reload the page and post again.',
  crossSite: "Cross-site form submissions are not accepted: go back to the comment's page on this site and send it there.",
  requestTooLarge: (bytes) => `The request body is larger than ${bytes.toLocaleString('en-US')} bytes.`,
  formUnreadable:
    'The form could not be read: the body is not the form data its Content-Type says (a multipart body needs its boundary and its closing line).',
  badContentLength: "The request's Content-Length is not a number of bytes, so nothing was read; go back to the page and submit again.",
  invalidEncoding: 'The body is not valid UTF-8, so it could not be read; go back to the page and submit again.',
  formNotUtf8: 'The form held characters that are not valid UTF-8 (shown as � below); nothing was saved. Correct them and submit again.',
  badCommentOrder: 'Comments can be sorted oldest, newest or hot (top) only.',
  postNotFound: (id) => `No published post "${id}".`,
  postDeleted: 'This post has been deleted.',
  postMoved: (to) => `This post has moved to "${to}"; the comment is to be sent there.`,
  closed: 'Comments on this post are closed.',
  turnstileRequired: 'Please complete the verification (Turnstile) before posting.',
  turnstileFailed: 'The verification (Turnstile) failed; please try again.',
  unrenderable: 'The text is nested too deeply to render.',
  tooManyLinks: (max, found) => `A comment may contain at most ${count(max, 'link')} (this one has ${found}).`,
  tooMuchMath: (max, found) => `A comment may contain at most ${count(max, 'formula')} (this one has ${found}).`,
  renderedTooLarge: 'This comment renders too large; please shorten it or split its formulas.',
  tooManyComments: (seconds) => `Too many comments in a short time; please wait ${count(seconds, 'second')}.`,
  tooManyPreviews: (seconds) => `Too many previews in a short time; please wait ${count(seconds, 'second')}.`,
  keyReused: 'This idempotency key was already used for a different comment.',
  duplicate: 'You have already posted this comment here.',
  parentNotFound: (id) => `There is no comment ${id} to reply to.`,
  commentNotFound: (id) => `There is no comment ${id}.`,
  editNeedsBrowser: (minutes) =>
    minutes > 0
      ? `Editing a comment needs the browser it was written in (for ${count(minutes, 'minute')}) or the admin token.`
      : 'Only the admin may edit a comment once it is posted.',
  deleteNeedsBrowser: (minutes) =>
    minutes > 0
      ? `Deleting a comment needs the browser it was written in (for ${count(minutes, 'minute')}) or the admin token.`
      : 'Only the admin may delete a comment once it is posted.',
  notThisBrowser: 'This browser did not write that comment.',
  editWindowClosed: 'The time for changing this comment is over.',
  likeByBot: 'Bots, crawlers and scripts cannot like comments: open the post in a browser to like one.',
  likeCrossSite: "Cross-site likes are not accepted: go back to the comment's page on this site and like it there.",
  tooManyLikes: (seconds) => `Too many likes in a short time; please wait ${count(seconds, 'second')}.`,
  reactionByBot: 'Bots, crawlers and scripts cannot react to posts: open the post in a browser to react.',
  reactionCrossSite: "Cross-site reactions are not accepted: go back to the post's page on this site and react there.",
  tooManyReactions: (seconds) => `Too many reactions in a short time; please wait ${count(seconds, 'second')}.`,
  unknownReaction: (keys) => `There is no such reaction; the reactions are: ${keys}.`,
  reactionsOff: 'Post reactions are turned off on this blog.',
  reactionsOnPage: 'Standalone pages take no reactions.',
  reactionsOffHere: 'This post takes no reactions.',
}

/** The comment notification e-mails and webhooks (services/notify.ts): plain text, never HTML. */
export interface NoticeStrings {
  /** A reply to a reader's comment (to that reader), and a new comment (to the blog's author). */
  reply: { subject: (site: string, title: string) => string; lead: (author: string, title: string) => string; link: string }
  new: { subject: (site: string, title: string) => string; lead: (author: string, title: string) => string; link: string }
  unsubscribe: string
  /** A comment with no text left once its markup is taken out. */
  empty: string
  /** A held comment's status, in the subject's brackets and in heldLead. */
  held: { pending: string; spam: string }
  heldLead: (status: string) => string
  /** The author's links: the moderation list (held), reply, or approve and reply (held). */
  moderate: string
  replyLink: string
  approveAndReply: string
  /** Stand-ins for an empty SITE_TITLE and an empty commenter's name. */
  noSiteTitle: string
  noAuthor: string
}

/** The web admin at /admin (routes/admin.tsx, views/admin/). */
export interface AdminStrings {
  title: string
  nav: string
  navPosts: string
  navNew: string
  navComments: string
  navStats: string
  navImages: string
  navSite: string
  signInTitle: string
  signInIntro: string
  tokenLabel: string
  signIn: string
  signOut: string
  wrongToken: string
  tooManyAttempts: (seconds: number) => string
  sessionExpired: string
  csrfFailed: string
  postsTitle: string
  statuses: Record<'all' | 'published' | 'draft' | 'scheduled' | 'deleted', string>
  statusFilter: string
  colTitle: string
  colStatus: string
  colDate: string
  colActions: string
  /** The post list's readers and visible comments (the site's stats, as the posts' objects pushed them). */
  colReaders: string
  colCommentCount: string
  /** The 统计 page (/admin/stats). */
  statsTitle: string
  statsPostTitle: (title: string) => string
  statsRange: string
  statsDays: (days: number) => string
  statsAllReaders: string
  statsWindowReaders: (days: number) => string
  statsSiteChart: (days: number) => string
  statsPostChart: (title: string, days: number) => string
  statsTop: string
  /** The 统计 page's choice of ranking: its label, by the period's readers, by all readers. */
  statsRankLabel: string
  statsRankPeriod: (days: number) => string
  statsRankAll: string
  /** The post's reactions (文章反应) on its 统计 page. */
  statsReactions: string
  statsNoReaders: string
  statsDayByDay: string
  colDay: string
  colWindowReaders: (days: number) => string
  statsLag: (seconds: number) => string
  /** The 图片 page (/admin/images): the uploaded images. */
  imagesTitle: string
  imagesIntro: string
  imageChoose: string
  imageUploadButton: string
  imageUploadHint: (maxMiB: string) => string
  imagesNone: string
  colImage: string
  colImageName: string
  colImageSize: string
  colUploaded: string
  colImageUsedBy: string
  imageUnused: string
  colMarkdown: string
  imageMarkdownLabel: (key: string) => string
  deleteImage: string
  confirmDeleteImage: string
  confirmDeleteUsedImage: (posts: number) => string
  imageUploaded: (key: string) => string
  imageDeleted: (key: string) => string
  imageMissing: string
  imagesMore: string
  imagesFirst: string
  statsExact: string
  statsBack: string
  statsOfPost: string
  edit: string
  view: string
  previewLink: string
  revisions: string
  noPosts: string
  pageOf: (n: number, total: number) => string
  prevPage: string
  nextPage: string
  newTitle: string
  editTitle: (title: string) => string
  idLabel: string
  idHint: string
  sourceLabel: string
  sourceHint: string
  previewTitle: string
  previewHint: string
  previewEmpty: string
  previewFailed: string
  mathErrors: string
  saveDraft: string
  publish: string
  unpublish: string
  deletePost: string
  confirmDelete: string
  /** Renaming a post (a new id; the old address redirects). */
  renameLabel: string
  renameHint: string
  rename: string
  confirmRename: string
  renamed: (from: string) => string
  saved: string
  published: string
  /** A post saved with a future date: when it goes out (the site's time). */
  scheduledFor: (when: string) => string
  deleted: (id: string) => string
  restored: (n: number) => string
  stale: string
  reloadLatest: string
  idTaken: string
  failed: string
  /** An editor or comment form with bytes that are not UTF-8 (lib/request.ts formIsUtf8): 400, nothing saved, the text given back. */
  formNotUtf8: string
  uploadImage: string
  uploading: string
  uploadFailed: string
  revisionsTitle: (title: string) => string
  revisionTitle: (n: number) => string
  current: string
  restore: string
  confirmRestore: string
  commentsTitle: string
  queue: Record<'pending' | 'spam' | 'approved', string>
  colPost: string
  colAuthor: string
  colExcerpt: string
  approve: string
  markSpam: string
  /** Pin a comment (置顶: its thread first on the post's comments), and take the pin off. */
  pin: string
  unpin: string
  /** The mark of a pinned comment in the moderation list. */
  pinnedMark: string
  deleteComment: string
  confirmDeleteComment: string
  noComments: string
  moderated: string
  /** A status tab of the moderation queue with how many comments it holds. */
  queueCount: (label: string, n: number) => string
  /** A figure in the admin's tables and totals (readers, comments), its digits grouped. */
  figure: (n: number) => string
  /** The bulk actions: their label, the delete confirmation, the select-all box and a row's box. */
  bulkLabel: string
  confirmDeleteSelected: string
  selectAll: string
  selectComment: (author: string, id: number) => string
  /** After a bulk action: how many were done, and how many were not (gone meanwhile, a deleted post). */
  bulkDone: (done: number, failed: number) => string
  /** Nothing was ticked. */
  bulkNothing: string
  /** Answering a comment from the admin: the button, the page's title, the form. */
  reply: string
  replyTitle: string
  replyAs: (author: string) => string
  replyHint: string
  sendReply: string
  /** The same for a held or spam comment, which the reply approves. */
  approveAndReply: string
  approveAndSendReply: string
  heldReplyHint: (status: string) => string
  cancel: string
  /** Editing a comment's text from the admin (fixing a reader's LaTeX). */
  editComment: string
  editCommentTitle: string
  editCommentLabel: (author: string) => string
  editCommentHint: string
  saveComment: string
  commentSaved: string
  viewComment: string
  /** After a reply: said, with a link to it. */
  replied: string
  viewReply: string
  /** Narrowing the moderation list: to one post, or to comments holding a text. */
  onlyThisPost: string
  /** The nav's count of held comments (its tooltip; `{n}` is the number), and its words for exactly one. */
  pendingCount: string
  pendingCountOne: string
  /** The post list's link to the post's comments in the moderation list. */
  postComments: string
  searchComments: string
  /** The post list's search box (title or id), and its empty result. */
  searchPosts: string
  noPostsFound: (q: string) => string
  search: string
  clearFilter: string
  filteredByPost: (id: string) => string
  /** The moderation queue's paging. */
  queuePages: string
  newestComments: string
  olderComments: string
  /** The API's refusals, by error code, as the admin shows them (routes/admin-errors.ts). */
  errors: AdminErrorStrings
}

/**
 * The JSON API's refusals that the admin can receive, in the site's language (the API itself answers
 * in English: routes/admin-errors.ts maps its `code`, and the names and ids its message gives, to
 * these). A field's name stays as the API (and the post file) spells it.
 */
export interface AdminErrorStrings {
  /** The reasons of a refusal of fields (a post may have more than one bad field), as one text; each reason below has no final stop. */
  several: (reasons: string[]) => string
  required: (field: string) => string
  notText: (field: string) => string
  tooLong: (field: string, max: string) => string
  notBoolean: (field: string) => string
  notDate: (field: string) => string
  notSlug: (field: string) => string
  oneOf: (field: string, options: string[]) => string
  /** A whole number from 1, and at most `max` when given (a page, a limit). */
  countFrom1: (field: string, max?: string) => string
  /** A value a field cannot take, where the check has no words of its own. */
  invalidValue: (field: string) => string
  /** A query parameter given twice (`?q=a&q=b`). */
  givenOnce: (field: string) => string
  /** A page of a list (the moderation queue's `before`) that is not one the list gave. */
  notListPlace: (field: string) => string
  /** A search box's text with a control character or a lone surrogate. */
  controlOrBroken: (field: string) => string
  /** Text of 1 to `max` characters (a search box). */
  length1To: (field: string, max: string) => string
  tooManyTags: (max: string) => string
  /** The front matter is not YAML (`detail`: the YAML parser's own words, with the line). */
  yaml: (detail: string) => string
  yamlNotMapping: string
  idMismatch: (inPost: string, inUrl: string) => string
  reservedPageId: (id: string) => string
  /** A new post without an id (numbered by the site) whose front matter names one. */
  idInNewPost: string
  idTaken: (id: string) => string
  /** A publish under a renamed post's old id. */
  idRenamed: (id: string, to: string) => string
  /** A rename to another post's old id. */
  idFormer: (id: string, owner: string) => string
  /** A change sent to a post by an id it was renamed from (a page open from before the rename). */
  postRenamed: (id: string, to: string) => string
  aliasTaken: (alias: string, owner: string) => string
  /** An alias that is a standalone page's short address (the page answers it first). */
  aliasIsPageAddress: (alias: string, page: string) => string
  /** A page whose short address `/<id>` is another post's alias. */
  pageAddressIsAlias: (address: string, owner: string) => string
  /** A field's text holds half a surrogate pair (`\ud800`). */
  notUnicode: (field: string) => string
  /** A post's text field holds a control character (`\u0000`). */
  hasControl: (field: string) => string
  /** A category or tag whose slug would be empty, `.` or `..`. */
  noAddress: (field: string, name: string) => string
  /** If-Match no longer current: nothing was changed. */
  changed: string
  noPost: (id: string) => string
  notFound: string
  postDeleted: string
  noRevision: (n: string) => string
  noComment: (n: string) => string
  unavailable: string
  busy: string
  tooLarge: (bytes: string) => string
  unrenderable: string
  excerptTooLarge: (kb: string, max: string) => string
  imageTypes: (types: string) => string
  /** An SVG upload (refused: an SVG can carry script). */
  imageSvg: string
  imageMismatch: (found: string, declared: string) => string
  imageUnknown: (declared: string) => string
  emptyFile: string
  /** A list's page address (its cursor) that the list never gave. */
  badCursor: string
  notUtf8: string
  /** The script's forwarder (`/admin/api/*`, routes/admin-forward.ts): a path it does not forward (404). */
  notForwarded: string
  /** The forwarder: a method the forwarded route does not take (405; `methods`: those it takes). */
  methodNotForwarded: (methods: string[]) => string
  /** The forwarder: a query parameter it does not forward (400). */
  queryNotForwarded: (name: string) => string
  /** An answer from the API that is not its error shape (`status`: its HTTP status). */
  apiAnswered: (status: string) => string
}

const adminZh: AdminStrings = {
  title: '管理',
  nav: '管理导航',
  navPosts: '文章',
  navNew: '写文章',
  navComments: '评论审核',
  navStats: '统计',
  navImages: '图片',
  navSite: '回到网站',
  signInTitle: '登录管理后台',
  signInIntro: '输入管理令牌（ADMIN_TOKEN）。登录后浏览器只保存一个有时限的会话 Cookie，令牌本身不会保存在页面或浏览器里。',
  tokenLabel: '管理令牌',
  signIn: '登录',
  signOut: '退出登录',
  wrongToken: '令牌不正确。',
  tooManyAttempts: (s) => `失败次数过多，请 ${s} 秒后再试。`,
  sessionExpired: '会话已过期或无效，请重新登录。',
  csrfFailed: '表单已失效（CSRF 校验未通过），没有做任何更改。请刷新页面后重试。',
  postsTitle: '文章与草稿',
  statuses: { all: '全部', published: '已发布', draft: '草稿', scheduled: '定时发布', deleted: '已删除' },
  statusFilter: '按状态筛选',
  colTitle: '标题',
  colStatus: '状态',
  colDate: '日期',
  colActions: '操作',
  colReaders: '读者',
  colCommentCount: '评论',
  statsTitle: '统计',
  statsPostTitle: (title) => `统计：${title}`,
  statsRange: '时间范围',
  statsDays: (days) => `近 ${days} 天`,
  statsAllReaders: '全部读者',
  statsWindowReaders: (days) => `近 ${days} 天的读者`,
  statsSiteChart: (days) => `全站每天的读者（近 ${days} 天）`,
  statsPostChart: (title, days) => `《${title}》每天的读者（近 ${days} 天）`,
  statsTop: '读者最多的文章',
  statsRankLabel: '排序',
  statsRankPeriod: (days) => `按近 ${days} 天`,
  statsRankAll: '按全部读者',
  statsReactions: '读者的反应',
  statsNoReaders: '还没有读者。',
  statsDayByDay: '逐日数字',
  colDay: '日期',
  colWindowReaders: (days) => `近 ${days} 天`,
  statsLag: (seconds) => `这些数字是各篇文章的对象推送来的，${seconds > 0 ? `最多晚 ${seconds} 秒左右` : '稍有延迟'}。`,
  imagesTitle: '图片',
  imagesIntro: '上传到本站的图片（每页按上传时间从新到旧）。把 Markdown 一栏的文字粘贴进文章即可引用图片。',
  imageChoose: '选择图片',
  imageUploadButton: '上传',
  imageUploadHint: (maxMiB) => `PNG、JPEG、GIF、WebP 或 AVIF，最大 ${maxMiB} MiB；同一张图片再次上传得到同一个地址。`,
  imagesNone: '还没有上传过图片。',
  colImage: '图片',
  colImageName: '文件名',
  colImageSize: '大小',
  colUploaded: '上传时间',
  colImageUsedBy: '用于',
  imageUnused: '未使用',
  colMarkdown: 'Markdown',
  imageMarkdownLabel: (key) => `引用 ${key} 的 Markdown`,
  deleteImage: '删除',
  confirmDeleteImage: '确定删除这张图片吗？引用它的文章将无法再显示它。',
  confirmDeleteUsedImage: (posts) => `这张图片仍被 ${posts} 篇文章使用，删除后它们将无法再显示它。确定删除吗？`,
  imageUploaded: (key) => `图片 ${key} 已上传。`,
  imageDeleted: (key) => `图片 ${key} 已删除。`,
  imageMissing: '请先选择一个图片文件。',
  imagesMore: '更多图片 »',
  imagesFirst: '« 第一页',
  statsExact: '这些数字直接来自这篇文章的对象，是准确的。',
  statsBack: '« 全站统计',
  statsOfPost: '统计',
  edit: '编辑',
  view: '查看',
  previewLink: '预览链接',
  revisions: '修订版本',
  noPosts: '没有文章。',
  pageOf: (n, total) => `第 ${n} / ${total} 页`,
  prevPage: '上一页',
  nextPage: '下一页',
  newTitle: '写新文章',
  editTitle: (title) => `编辑：${title}`,
  idLabel: '文章 ID',
  idHint: '小写字母、数字和连字符；留空则自动编号。',
  sourceLabel: '文章（YAML 前言 + Markdown）',
  sourceHint: '前言里至少要有 title。公式用 $…$ 与 $$…$$。',
  previewTitle: '实时预览',
  previewHint: '由服务器用发布时的同一个渲染器生成。',
  previewEmpty: '开始输入后这里显示预览。',
  previewFailed: '无法预览：',
  mathErrors: '有公式无法排版（预览中以红色显示）。',
  saveDraft: '保存为草稿',
  publish: '发布',
  unpublish: '撤回为草稿',
  deletePost: '删除文章',
  renameLabel: '新的 ID',
  renameHint: '改名后旧地址会 301 跳转到新地址，评论、阅读数和修订版本随文章一起移动；旧 ID 不能再给别的文章用。',
  rename: '改名',
  confirmRename: '确定给这篇文章改名吗？（旧地址会跳转到新地址；旧 ID 不能再给别的文章用。）',
  renamed: (from) => `已改名（旧 ID ${from} 会跳转到这里）。`,
  confirmDelete: '确定删除这篇文章吗？（评论和阅读数会保留，重新发布同一 ID 可恢复。）',
  saved: '已保存为草稿。',
  published: '已发布。',
  scheduledFor: (when) => `已定时：将于 ${when} 自动发布。`,
  deleted: (id) => `已删除文章 ${id}。`,
  restored: (n) => `已恢复修订版本 r${n}。`,
  stale: '这篇文章在你打开之后被修改过，你的更改没有保存。下面保留了你的文本：请复制它，打开最新版本后再合并。',
  reloadLatest: '打开最新版本',
  idTaken: '这个 ID 已被使用（包括已删除的文章）。',
  failed: '操作失败：',
  formNotUtf8: '提交的内容中有不是有效 UTF-8 编码的字符（下面显示为 �），没有保存任何内容，请改正后重新提交。',
  uploadImage: '上传图片',
  uploading: '正在上传…',
  uploadFailed: '上传失败：',
  revisionsTitle: (title) => `修订版本：${title}`,
  revisionTitle: (n) => `修订版本 r${n}`,
  current: '当前版本',
  restore: '恢复此版本',
  confirmRestore: '用这个版本替换当前版本吗？（当前版本会保留为一个修订版本。）',
  commentsTitle: '评论审核',
  queue: { pending: '待审核', spam: '垃圾评论', approved: '已通过' },
  colPost: '文章',
  colAuthor: '作者',
  colExcerpt: '内容',
  approve: '通过',
  markSpam: '标为垃圾',
  pin: '置顶',
  unpin: '取消置顶',
  pinnedMark: '已置顶',
  deleteComment: '删除',
  confirmDeleteComment: '确定删除这条评论吗？',
  noComments: '这里没有评论。',
  moderated: '已处理。',
  queueCount: (label, n) => `${label}（${n.toLocaleString('zh-CN')}）`,
  figure: (n) => n.toLocaleString('zh-CN'),
  bulkLabel: '所选评论：',
  confirmDeleteSelected: '确定删除所选的评论吗？',
  selectAll: '全选',
  selectComment: (author, id) => `选择 ${author} 的评论 #${id}`,
  bulkDone: (done, failed) =>
    `已处理 ${done} 条评论。` + (failed > 0 ? `另有 ${failed} 条没有处理：它们已被删除或所在的文章已不在了，列表已刷新。` : ''),
  bulkNothing: '没有选中任何评论：请先勾选要处理的评论。',
  reply: '回复',
  replyTitle: '回复评论',
  replyAs: (author) => `以博主（${author}）的名义回复`,
  replyHint: '支持 Markdown 和 $…$、$$…$$ 数学公式；回复会立即显示，并带“博主”标记。',
  sendReply: '发表回复',
  approveAndReply: '通过并回复',
  approveAndSendReply: '通过并发表回复',
  heldReplyHint: (status) => `这条评论现在是“${status}”：发表回复时会先通过它，让它显示出来。`,
  cancel: '取消',
  replied: '已回复。',
  editComment: '编辑',
  editCommentTitle: '编辑评论',
  editCommentLabel: (author) => `${author} 的评论（Markdown 原文）`,
  editCommentHint: '修正格式或公式后保存；评论会标为“已编辑”，状态不变。',
  saveComment: '保存修改',
  commentSaved: '评论已保存。',
  viewComment: '查看评论',
  viewReply: '查看回复',
  onlyThisPost: '只看这篇',
  pendingCount: '{n} 条评论待审核',
  pendingCountOne: '1 条评论待审核',
  postComments: '评论',
  searchComments: '搜索评论（作者、邮箱或内容）',
  searchPosts: '搜索文章（标题或 ID）',
  noPostsFound: (q) => `没有标题或 ID 含有“${q}”的文章。`,
  search: '搜索',
  clearFilter: '显示全部',
  filteredByPost: (id) => `只显示文章“${id}”的评论`,
  queuePages: '评论分页',
  newestComments: '« 最新的评论',
  olderComments: '更早的评论 »',
  errors: {
    several: (reasons) => `${reasons.join('；')}。`,
    required: (f) => `${f} 不能为空`,
    notText: (f) => `${f} 必须是文本`,
    tooLong: (f, max) => `${f} 太长了，最多 ${max} 个字符`,
    notBoolean: (f) => `${f} 只能是 true 或 false`,
    notDate: (f) => `${f} 不是可识别的日期（可写 2024-05-01、2024-05-01 08:30 或 ISO 8601 格式）`,
    notSlug: (f) => `${f} 只能由小写字母和数字组成，中间用单个连字符分隔`,
    oneOf: (f, options) => `${f} 只能是 ${options.slice(0, -1).join('、')} 或 ${options.at(-1)}`,
    countFrom1: (f, max) => (max ? `${f} 只能是 1 到 ${max} 的整数` : `${f} 只能是不小于 1 的整数`),
    length1To: (f, max) => `${f} 须为 1 到 ${max} 个字符`,
    givenOnce: (f) => `${f} 只能出现一次`,
    notListPlace: (f) => `${f} 不是列表给出的翻页位置，请从第一页重新翻`,
    invalidValue: (f) => `${f} 的值无效`,
    controlOrBroken: (f) => `${f} 含有控制字符或不完整的 Unicode 字符`,
    tooManyTags: (max) => `tags 最多 ${max} 个`,
    yaml: (detail) => `前言不是有效的 YAML：${detail}`,
    yamlNotMapping: '前言必须是 YAML 的字段（title: …、date: …）。',
    idMismatch: (inPost, inUrl) => `前言里的 id（${inPost}）与文章的 ID（${inUrl}）不一致。`,
    reservedPageId: (id) => `“${id}”不能作为页面的 ID：地址 /${id} 是网站自己的，请换一个 ID。`,
    idInNewPost: '不填文章 ID 时由网站自动编号，前言里就不能写 id：请把 ID 填在“文章 ID”一栏，或删去前言里的 id。',
    idTaken: (id) => `已经有一篇文章的 ID 是“${id}”（包括已删除的文章）。`,
    idRenamed: (id, to) => `文章“${id}”已改名为“${to}”，旧地址会跳转过去：请用“${to}”或另一个 ID 发布。`,
    idFormer: (id, owner) => `“${id}”是文章“${owner}”改名前的 ID，旧地址会跳转到那篇文章：请换一个 ID。`,
    postRenamed: (id, to) => `文章“${id}”已改名为“${to}”：请到“${to}”的页面再操作一次。`,
    aliasTaken: (alias, owner) => `旧地址“${alias}”已经跳转到文章“${owner}”，请先在那篇文章里删去它。`,
    aliasIsPageAddress: (alias, page) => `旧地址“${alias}”是页面“${page}”的短地址，会先打开那个页面：请换一个旧地址。`,
    pageAddressIsAlias: (address, owner) =>
      `页面的短地址 ${address} 是文章“${owner}”的旧地址（会跳转到那篇文章）：请先在那篇文章里删去它，或换一个 ID。`,
    notUnicode: (f) => `${f} 含有不完整的 Unicode 字符（单独的代理项，如 \\ud800）`,
    hasControl: (f) => `${f} 含有控制字符（U+0000 至 U+001F 中除制表符和换行以外的字符，或 U+007F）`,
    noAddress: (f, name) =>
      `${f} 里的“${name}”生成不了地址（它的 slug 会是空的、“.”或“..”）：请用 ${f === 'category' ? 'category_slug' : 'tag_slugs'} 给它一个 slug，或改个名字`,
    changed: '这篇文章在你打开之后被修改过，没有做任何更改。请重新打开它再试。',
    noPost: (id) => `没有文章“${id}”。`,
    notFound: '没有找到。',
    postDeleted: '这篇文章已被删除。',
    noRevision: (n) => `没有修订版本 r${n}（只保留最近的若干个版本）。`,
    noComment: (n) => `没有评论 #${n}。`,
    unavailable: '现在无法完成，没有做任何更改，请稍后再试。',
    busy: '服务器正忙，请稍后再试。',
    tooLarge: (bytes) => `提交的内容太大了（最多 ${bytes} 字节）。`,
    unrenderable: '正文的嵌套层次太深（列表或引用套得太多），无法排版，请简化后再试。',
    excerptTooLarge: (kb, max) => `摘要排版后有 ${kb} KB（最多 ${max} KB）：请把 <!--more--> 放得靠前些，或在前言里写 summary。`,
    imageTypes: (types) => `只能上传这些类型的图片：${types}。`,
    imageSvg: '不接受 SVG 图片：SVG 文件里可以带脚本。请先转成 PNG 或 WebP。',
    imageMismatch: (found, declared) => `文件的内容是 ${found}，不是它声明的 ${declared}。`,
    imageUnknown: (declared) => `文件的内容不是 ${declared} 图片。`,
    emptyFile: '文件是空的。',
    badCursor: '这个翻页地址不对，请从第一页重新翻。',
    notUtf8: '文章不是有效的 UTF-8 文本：请用 UTF-8 保存后再提交。',
    notForwarded: '管理后台不能访问这个 API 地址。',
    methodNotForwarded: (methods) => `这个地址只接受 ${methods.join('、')} 请求。`,
    queryNotForwarded: (name) => `管理后台不转发查询参数“${name}”。`,
    apiAnswered: (status) => `API 返回了 ${status}，没有说明原因。`,
  },
}

const adminEn: AdminStrings = {
  title: 'Admin',
  nav: 'Admin navigation',
  navPosts: 'Posts',
  navNew: 'New post',
  navComments: 'Comments',
  navStats: 'Statistics',
  navImages: 'Images',
  navSite: 'Back to the site',
  signInTitle: 'Sign in to the admin',
  signInIntro:
    'Enter the admin token (ADMIN_TOKEN). The browser then keeps only a session cookie that expires; the token itself is never kept in the page or the browser.',
  tokenLabel: 'Admin token',
  signIn: 'Sign in',
  signOut: 'Sign out',
  wrongToken: 'That token is not right.',
  tooManyAttempts: (s) => `Too many failed attempts; try again in ${count(s, 'second')}.`,
  sessionExpired: 'Your session has expired or is not valid; please sign in again.',
  csrfFailed: 'This form is no longer valid (CSRF check failed); nothing was changed. Reload the page and try again.',
  postsTitle: 'Posts and drafts',
  statuses: { all: 'All', published: 'Published', draft: 'Draft', scheduled: 'Scheduled', deleted: 'Deleted' },
  statusFilter: 'Filter by status',
  colTitle: 'Title',
  colStatus: 'Status',
  colDate: 'Date',
  colActions: 'Actions',
  colReaders: 'Readers',
  colCommentCount: 'Comments',
  statsTitle: 'Statistics',
  statsPostTitle: (title) => `Statistics: ${title}`,
  statsRange: 'Period',
  statsDays: (days) => `Last ${days} days`,
  statsAllReaders: 'Readers in all',
  statsWindowReaders: (days) => `Readers in the last ${days} days`,
  statsSiteChart: (days) => `Readers per day, the whole site (last ${days} days)`,
  statsPostChart: (title, days) => `Readers per day of “${title}” (last ${days} days)`,
  statsTop: 'Most read posts',
  statsRankLabel: 'Ranking',
  statsRankPeriod: (days) => `In the last ${days} days`,
  statsRankAll: 'Of all time',
  statsReactions: "Readers' reactions",
  statsNoReaders: 'No readers yet.',
  statsDayByDay: 'Day by day',
  colDay: 'Day',
  colWindowReaders: (days) => `Last ${days} days`,
  statsLag: (seconds) =>
    `These figures are what each post's object pushed, ${seconds > 0 ? `at most about ${count(seconds, 'second')}` : 'a moment'} behind.`,
  imagesTitle: 'Images',
  imagesIntro: 'The images uploaded to this blog (each page newest first). Paste the Markdown column into a post to show an image.',
  imageChoose: 'Choose an image',
  imageUploadButton: 'Upload',
  imageUploadHint: (maxMiB) => `PNG, JPEG, GIF, WebP or AVIF, at most ${maxMiB} MiB; the same image uploaded again gets the same address.`,
  imagesNone: 'No images uploaded yet.',
  colImage: 'Image',
  colImageName: 'File name',
  colImageSize: 'Size',
  colUploaded: 'Uploaded',
  colImageUsedBy: 'Used in',
  imageUnused: 'Not used',
  colMarkdown: 'Markdown',
  imageMarkdownLabel: (key) => `Markdown for ${key}`,
  deleteImage: 'Delete',
  confirmDeleteImage: 'Delete this image? Posts that show it will no longer be able to.',
  confirmDeleteUsedImage: (posts) =>
    `${posts === 1 ? '1 post still shows' : `${posts} posts still show`} this image and will no longer be able to. Delete it?`,
  imageUploaded: (key) => `Image ${key} uploaded.`,
  imageDeleted: (key) => `Image ${key} deleted.`,
  imageMissing: 'Choose an image file first.',
  imagesMore: 'More images »',
  imagesFirst: '« First page',
  statsExact: "These figures come straight from the post's object and are exact.",
  statsBack: '« Site statistics',
  statsOfPost: 'Statistics',
  edit: 'Edit',
  view: 'View',
  previewLink: 'Preview link',
  revisions: 'Revisions',
  noPosts: 'No posts.',
  pageOf: (n, total) => `Page ${n} of ${total}`,
  prevPage: 'Previous page',
  nextPage: 'Next page',
  newTitle: 'New post',
  editTitle: (title) => `Edit: ${title}`,
  idLabel: 'Post id',
  idHint: 'Lower-case letters, digits and hyphens; leave empty for the next number.',
  sourceLabel: 'Post (YAML front matter + markdown)',
  sourceHint: 'The front matter needs at least a title. Math: $…$ and $$…$$.',
  previewTitle: 'Live preview',
  previewHint: 'Rendered on the server by the same renderer as a publish.',
  previewEmpty: 'The preview appears here as you type.',
  previewFailed: 'Cannot preview: ',
  mathErrors: 'Some formulas could not be typeset (shown in red in the preview).',
  saveDraft: 'Save as draft',
  publish: 'Publish',
  unpublish: 'Unpublish (back to draft)',
  deletePost: 'Delete post',
  renameLabel: 'New id',
  renameHint:
    'The old address then answers 301 to the new one; comments, the reader count and revisions move with the post; the old id cannot be given to another post.',
  rename: 'Rename',
  confirmRename: 'Rename this post? (Its old address will redirect to the new one; the old id cannot be given to another post.)',
  renamed: (from) => `Renamed (the old id ${from} redirects here).`,
  confirmDelete: 'Delete this post? (Its comments and count are kept; publishing the same id again brings them back.)',
  saved: 'Saved as a draft.',
  published: 'Published.',
  scheduledFor: (when) => `Scheduled: it goes out at ${when}.`,
  deleted: (id) => `Post ${id} deleted.`,
  restored: (n) => `Revision r${n} restored.`,
  stale:
    'This post was changed after you opened it, so your edit was not saved. Your text is kept below: copy it, open the latest version and merge.',
  reloadLatest: 'Open the latest version',
  idTaken: 'That id is already used (deleted posts included).',
  failed: 'Failed: ',
  formNotUtf8: 'The form held characters that are not valid UTF-8 (shown as � below); nothing was saved. Correct them and submit again.',
  uploadImage: 'Upload image',
  uploading: 'Uploading…',
  uploadFailed: 'Upload failed: ',
  revisionsTitle: (title) => `Revisions: ${title}`,
  revisionTitle: (n) => `Revision r${n}`,
  current: 'Current',
  restore: 'Restore this version',
  confirmRestore: 'Replace the current version with this one? (The current one is kept as a revision.)',
  commentsTitle: 'Comment moderation',
  queue: { pending: 'Pending', spam: 'Spam', approved: 'Approved' },
  colPost: 'Post',
  colAuthor: 'Author',
  colExcerpt: 'Comment',
  approve: 'Approve',
  markSpam: 'Spam',
  pin: 'Pin',
  unpin: 'Unpin',
  pinnedMark: 'Pinned',
  deleteComment: 'Delete',
  confirmDeleteComment: 'Delete this comment?',
  noComments: 'No comments here.',
  moderated: 'Done.',
  queueCount: (label, n) => `${label} (${n.toLocaleString('en-US')})`,
  figure: (n) => n.toLocaleString('en-US'),
  bulkLabel: 'Selected:',
  confirmDeleteSelected: 'Delete the selected comments?',
  selectAll: 'Select all',
  selectComment: (author, id) => `Select comment #${id} by ${author}`,
  bulkDone: (done, failed) =>
    `${done} ${done === 1 ? 'comment' : 'comments'} done.` +
    (failed > 0 ? ` ${failed} not done: deleted meanwhile or on a post that is gone; the list is up to date.` : ''),
  bulkNothing: 'No comment selected: tick the comments to act on first.',
  reply: 'Reply',
  replyTitle: 'Reply to a comment',
  replyAs: (author) => `Reply as the author (${author})`,
  replyHint: 'Markdown and $…$, $$…$$ math; the reply shows at once, with the Author badge.',
  sendReply: 'Post reply',
  approveAndReply: 'Approve and reply',
  approveAndSendReply: 'Approve and post reply',
  heldReplyHint: (status) => `This comment is ${status.toLowerCase()}: posting the reply approves it first, so it shows.`,
  cancel: 'Cancel',
  replied: 'Replied.',
  editComment: 'Edit',
  editCommentTitle: 'Edit a comment',
  editCommentLabel: (author) => `${author}’s comment (its markdown)`,
  editCommentHint: 'Fix the formatting or the math and save; the comment is marked edited, its status unchanged.',
  saveComment: 'Save',
  commentSaved: 'Comment saved.',
  viewComment: 'View the comment',
  viewReply: 'View the reply',
  onlyThisPost: 'This post only',
  pendingCount: '{n} comments awaiting moderation',
  pendingCountOne: '1 comment awaiting moderation',
  postComments: 'Comments',
  searchComments: 'Search comments (author, e-mail or text)',
  searchPosts: 'Search posts (title or id)',
  noPostsFound: (q) => `No post has “${q}” in its title or id.`,
  search: 'Search',
  clearFilter: 'Show all',
  filteredByPost: (id) => `Comments on “${id}” only`,
  queuePages: 'Comment pages',
  newestComments: '« Newest comments',
  olderComments: 'Older comments »',
  errors: {
    several: (reasons) => `${reasons.join('; ')}.`,
    required: (f) => `${f} is required`,
    notText: (f) => `${f} must be text`,
    tooLong: (f, max) => `${f} is too long: at most ${max} characters`,
    notBoolean: (f) => `${f} must be true or false`,
    notDate: (f) => `${f} is not a date (write 2024-05-01, 2024-05-01 08:30 or ISO 8601)`,
    notSlug: (f) => `${f} must be lower-case letters and digits separated by single dashes`,
    oneOf: (f, options) => `${f} must be ${options.slice(0, -1).join(', ')} or ${options.at(-1)}`,
    countFrom1: (f, max) => (max ? `${f} must be a whole number from 1 to ${max}` : `${f} must be a whole number from 1`),
    length1To: (f, max) => `${f} must be 1 to ${max} characters`,
    givenOnce: (f) => `${f} must be given once`,
    notListPlace: (f) => `${f} is not a page the list gave; start again from the first page`,
    invalidValue: (f) => `${f} has a value it cannot take`,
    controlOrBroken: (f) => `${f} holds a control character or a broken Unicode character`,
    tooManyTags: (max) => `tags: at most ${max}`,
    yaml: (detail) => `The front matter is not valid YAML: ${detail}`,
    yamlNotMapping: 'The front matter must be YAML fields (title: …, date: …).',
    idMismatch: (inPost, inUrl) => `The id in the front matter (${inPost}) is not the post's id (${inUrl}).`,
    reservedPageId: (id) => `"${id}" cannot be a page's id: its address /${id} belongs to the site; choose another id.`,
    idInNewPost:
      'With the id left empty the site numbers the post, so the front matter may not name one: put the id in the "Post id" field, or remove it from the front matter.',
    idTaken: (id) => `There is already a post "${id}" (deleted posts included).`,
    idRenamed: (id, to) => `Post "${id}" was renamed to "${to}" and its old address redirects there: publish under "${to}" or another id.`,
    idFormer: (id, owner) => `"${id}" is a former id of post "${owner}" and its old address redirects there: choose another id.`,
    postRenamed: (id, to) => `Post "${id}" was renamed to "${to}": do it again on the page of "${to}".`,
    aliasTaken: (alias, owner) => `The old address "${alias}" already redirects to post "${owner}": remove it there first.`,
    aliasIsPageAddress: (alias, page) =>
      `The old address "${alias}" is the short address of page "${page}", which answers it first: choose another.`,
    pageAddressIsAlias: (address, owner) =>
      `A page's short address ${address} is an old address of post "${owner}" (it redirects there): remove it there first, or choose another id.`,
    notUnicode: (f) => `${f} holds a broken Unicode character (a lone surrogate such as \\ud800)`,
    hasControl: (f) => `${f} holds a control character (U+0000 to U+001F other than tab and line breaks, or U+007F)`,
    noAddress: (f, name) =>
      `${f}: "${name}" gives no address (its slug would be empty, "." or ".."): give it one with ${f === 'category' ? 'category_slug' : 'tag_slugs'}, or rename it`,
    changed: 'This post was changed after you opened it, so nothing was changed. Open it again and retry.',
    noPost: (id) => `There is no post "${id}".`,
    notFound: 'Not found.',
    postDeleted: 'This post has been deleted.',
    noRevision: (n) => `There is no revision r${n} (only the newest versions are kept).`,
    noComment: (n) => `There is no comment ${n}.`,
    unavailable: 'That cannot be done just now; nothing was changed. Please try again shortly.',
    busy: 'The site is very busy right now; please try again in a moment.',
    tooLarge: (bytes) => `That is too large (at most ${bytes} bytes).`,
    unrenderable: 'The text is nested too deeply (lists or quotes inside each other) to render; simplify it and try again.',
    excerptTooLarge: (kb, max) => `The excerpt renders to ${kb} KB (at most ${max} KB): put <!--more--> earlier or give a summary.`,
    imageTypes: (types) => `Only these image types can be uploaded: ${types}.`,
    imageSvg: 'SVG images are not accepted: an SVG can carry script. Convert it to PNG or WebP first.',
    imageMismatch: (found, declared) => `The file is ${found}, not the ${declared} it says it is.`,
    imageUnknown: (declared) => `The file is not a ${declared} image.`,
    emptyFile: 'The file is empty.',
    badCursor: 'This page address is not one the list gave; start again from the first page.',
    notUtf8: 'The post is not valid UTF-8 text: save it as UTF-8 and send it again.',
    notForwarded: 'The admin cannot reach that API route.',
    methodNotForwarded: (methods) => `Use ${methods.join(' or ')}.`,
    queryNotForwarded: (name) => `The admin does not forward the query parameter "${name}".`,
    apiAnswered: (status) => `The API answered ${status} without saying why.`,
  },
}

const noticeZh: NoticeStrings = {
  reply: {
    subject: (site, title) => `[${site}] 《${title}》有新回复`,
    lead: (author, title) => `${author} 回复了你在《${title}》下的评论：`,
    link: '查看回复：',
  },
  new: {
    subject: (site, title) => `[${site}] 《${title}》有新评论`,
    lead: (author, title) => `${author} 评论了《${title}》：`,
    link: '查看评论：',
  },
  unsubscribe: '不想再收到回复通知？退订：',
  empty: '（无文字内容）',
  held: { pending: '待审核', spam: '垃圾评论' },
  heldLead: (status) => `这条评论被标为“${status}”，读者还看不到它。`,
  moderate: '去审核：',
  replyLink: '回复：',
  approveAndReply: '通过并回复：',
  noSiteTitle: '博客',
  noAuthor: '有人',
}

const noticeEn: NoticeStrings = {
  reply: {
    subject: (site, title) => `[${site}] New reply on “${title}”`,
    lead: (author, title) => `${author} replied to your comment on “${title}”:`,
    link: 'View the reply: ',
  },
  new: {
    subject: (site, title) => `[${site}] New comment on “${title}”`,
    lead: (author, title) => `${author} commented on “${title}”:`,
    link: 'View the comment: ',
  },
  unsubscribe: 'No more reply notifications? Unsubscribe: ',
  empty: '(no text)',
  held: { pending: 'Pending', spam: 'Spam' },
  heldLead: (status) => `This comment is marked “${status}”: readers do not see it yet.`,
  moderate: 'Moderate: ',
  replyLink: 'Reply: ',
  approveAndReply: 'Approve and reply: ',
  noSiteTitle: 'Blog',
  noAuthor: 'Someone',
}

const zh: Strings = {
  htmlLang: 'zh-CN',
  by: 'By',
  readers: (n) => `${n}位读者`,
  comments: (n) => `${n}条评论`,
  cite: '引用',
  readMore: '阅读全文',
  recentComments: '最近评论',
  noRecentComments: '还没有评论。',
  popularPosts: '热门文章',
  sitePages: '页面',
  morePopular: '更多热门文章',
  randomPost: '随机一篇',
  siteLinks: '友情链接',
  popularIntro: '按读者数排列（约每分钟更新）。',
  trendTitle: (days) => `最近${days}天的读者`,
  noPosts: '还没有文章。',
  newer: '« 较新的文章',
  older: '较早的文章 »',
  pageOf: (n, total) => `第 ${n} / ${total} 页`,
  pagination: '文章分页',
  updatedOn: '更新于',
  category: '分类',
  tags: '标签',
  contents: '目录',
  citeTitle: '引用本文',
  citedBy: '被引用',
  citeIntro: '转载请注明出处。如果您需要引用本文，请参考：',
  citePlain: '文本格式',
  citeBibtex: 'BibTeX',
  blogPost: 'Blog post',
  retrievedFrom: 'Retrieved from',
  citedTitle: (title) => `《${title}》`,
  citedDate: (year, month, day) => `${monthAbbr(month)}. ${String(day).padStart(2, '0')}, ${year}`,
  copy: '复制',
  copied: '已复制',
  copyFailed: '已选中，请按 Ctrl+C 复制',
  copyPlainLabel: '复制文本格式的引用',
  copyBibtexLabel: '复制 BibTeX',
  downloadBibtex: '下载 BibTeX',
  downloadRis: '下载 RIS',
  downloadCsl: '下载 CSL-JSON',
  commentsTitle: (n) => `${n}条评论`,
  noComments: '还没有评论，来说两句吧。',
  reply: '回复',
  replyTo: (name) => `回复 ${name}`,
  cancelReply: '取消回复',
  leaveComment: '发表评论',
  fieldAuthor: '昵称',
  fieldEmail: '邮箱',
  fieldEmailHint: '选填，不会公开',
  fieldUrl: '网址',
  fieldBody: '评论',
  fieldBodyHint: '支持 Markdown 与 LaTeX：行内公式 $…$，行间公式 $$…$$',
  emojiButton: '表情',
  emojiPanel: '插入表情',
  mathInline: '行内公式',
  mathDisplay: '行间公式',
  mathInlineTitle: '插入行内公式 $…$（选中的文字放进公式）',
  mathDisplayTitle: '插入行间公式 $$…$$（选中的文字放进公式）',
  submit: '提交评论',
  inReplyTo: '回复',
  authorBadge: '博主',
  pinnedBadge: '置顶',
  like: '赞',
  likeTitle: (author) => `赞 ${author} 的评论（再点一次取消）`,
  likeFailed: '点赞没有成功，请稍后再试。',
  reactionsTitle: '你认为这篇文章怎么样？',
  reactionLabels: { like: '赞', insightful: '有启发', mindblown: '烧脑', confused: '没看懂', love: '喜欢' },
  reactionTitle: (label) => `${label}（每位读者选一个，再点一次取消）`,
  reactionFailed: '没有成功，请稍后再试。',
  edited: '已编辑',
  timeAgo: {
    justNow: '刚刚',
    minute: ['{n}分钟前', '{n}分钟前'],
    hour: ['{n}小时前', '{n}小时前'],
    day: ['{n}天前', '{n}天前'],
    month: ['{n}个月前', '{n}个月前'],
    year: ['{n}年前', '{n}年前'],
  },
  editedAt: '编辑于',
  awaitingModeration: '您的评论正在等待审核，目前只有您自己能看到。',
  commentDeleted: '此评论已删除。',
  commentNumber: (id) => `评论 #${id}`,
  commentPages: '评论分页',
  commentSort: '评论排序',
  commentOrders: { oldest: '最早', newest: '最新', hot: '最热' },
  commentPage: (n) => `评论第 ${n} 页`,
  prevCommentPage: '« 上一页',
  nextCommentPage: '下一页 »',
  preview: '预览',
  previewTitle: '预览',
  previewFailed: '预览失败，请稍后再试。',
  notifyReplies: '有人回复时发邮件通知我（需填写邮箱）',
  honeypotLabel: '请勿填写此栏',
  moderationHintFirst: '首次发表的评论需经审核后显示。',
  moderationHintAll: '评论需经审核后显示。',
  turnstileNeedsJs: '发表评论需要启用 JavaScript（用于人机验证）。',
  commentsClosed: '评论已关闭。',
  editComment: '编辑',
  deleteComment: '删除',
  saveComment: '保存',
  cancelEdit: '取消',
  editCommentLabel: '修改评论',
  confirmDeleteComment: '确定要删除这条评论吗？',
  requestFailed: '操作失败，请稍后再试。',
  badLink: '链接无效或已过期。',
  unsubscribeTitle: '退订回复通知',
  unsubscribeText: '确定不再接收这条评论的回复通知吗？',
  unsubscribeButton: '退订',
  unsubscribed: '已退订：有人回复这条评论时不会再发邮件给您。',
  unsubscribeCrossSite: '出于安全考虑，退订只能在本站的退订页面上确认。请重新打开通知邮件中的退订链接，再点击“退订”。',
  notFoundTitle: '页面不存在',
  notFoundText: '你要找的页面不存在，可能已被移动或从未发表。',
  goneTitle: '文章已删除',
  goneText: '这篇文章已被作者删除。',
  errorTitle: '出错了',
  badRequestTitle: '无法提交',
  invalidRequestTitle: '请求有误',
  crossSiteForm: '出于安全考虑，本站只接受从本站页面提交的表单，请回到本站的页面重新提交。',
  methodNotAllowedTitle: '不支持这种请求',
  methodNotAllowedText: (allow) => `这个地址只接受 ${allow.join('、')} 请求。`,
  backToPost: '返回文章',
  unavailableTitle: '请稍后再试',
  unavailableText: '这篇文章刚刚发表，正在同步到你附近的节点，请几秒钟后刷新。',
  anchorLabel: '本节链接',
  footnotesHeading: '脚注',
  footnoteBack: '返回正文',
  poweredBy: '运行于 Cloudflare Workers',
  skipToContent: '跳到正文',
  siteNav: '站点导航',
  navHome: '首页',
  navPopular: '热门文章',
  navCategories: '分类',
  navArchive: '归档',
  previewDraft: '草稿预览：读者看不到这篇文章。',
  previewScheduled: (when) => `定时发布预览：将于 ${when} 发布。`,
  previewPublished: '预览：这篇文章已发布。',
  categoryTitle: (name) => `分类：${name}`,
  tagTitle: (name) => `标签：${name}`,
  postCount: (n) => `${n}篇文章`,
  allCategories: '全部分类',
  allTags: '全部标签',
  moreTags: '全部标签',
  noTerms: '还没有。',
  archiveTitle: '文章归档',
  archiveIntro: (n) => `共${n}篇文章，按发表时间排列。`,
  monthHeading: (year, month) => `${year}年${month}月`,
  seriesTitle: (name) => `系列：${name}`,
  seriesPart: (n, total) => `第${n}篇，共${total}篇`,
  relatedPosts: '相关文章',
  prevPost: '上一篇',
  nextPost: '下一篇',
  postNav: '前后文章',
  commentsFeedTitle: (site) => `${site} 的最新评论`,
  commentFeedItem: (author, postTitle) => `${author} 评论 ${postTitle}`,
  postCommentsFeedTitle: (postTitle) => `《${postTitle}》的评论`,
  themeToggleLabel: '切换浅色、深色或跟随系统的外观',
  themeLight: '外观：浅色',
  themeDark: '外观：深色',
  themeSystem: '外观：跟随系统',
  licenseBefore: '本站文章采用 ',
  licenseAfter: ' 许可，转载请注明出处。',
  search: '搜索',
  searchLabel: '搜索文章',
  searchSite: '站内搜索',
  searchTitle: (q) => `“${q}”的搜索结果`,
  searchIntro: '搜索文章的标题、正文和标签。中文可直接输入词语（如“量子”），英文单词可只写开头（如 converg）。',
  searchCount: (n) => `找到 ${n} 篇文章`,
  searchNone: '没有找到相关文章，换个词试试。',
  searchNoTerms: '请输入至少一个汉字或两个字母的词。',
  searchTooLong: (max) => `搜索词太长了（最多 ${max} 个字符）。`,
  searchBadChars: '搜索词含有无法处理的控制字符。',
  searchBadPage: '页码无效。',
  commentErrors: commentErrorsZh,
  notice: noticeZh,
  admin: adminZh,
}

const en: Strings = {
  htmlLang: 'en',
  by: 'By',
  readers: (n) => count(n, 'reader'),
  comments: (n) => count(n, 'comment'),
  cite: 'Cite',
  readMore: 'Read more',
  recentComments: 'Recent comments',
  noRecentComments: 'No comments yet.',
  popularPosts: 'Most read',
  sitePages: 'Pages',
  morePopular: 'More',
  randomPost: 'A random post',
  siteLinks: 'Links',
  popularIntro: 'By number of readers (updated about every minute).',
  trendTitle: (days) => `Readers over the last ${days} days`,
  noPosts: 'No posts yet.',
  newer: '« Newer posts',
  older: 'Older posts »',
  pageOf: (n, total) => `Page ${n} of ${total}`,
  pagination: 'Post pages',
  updatedOn: 'Updated on',
  category: 'Category',
  tags: 'Tags',
  contents: 'Contents',
  citeTitle: 'Cite this post',
  citedBy: 'Cited by',
  citeIntro: 'Please credit the source when you share this post. To cite it:',
  citePlain: 'Plain text',
  citeBibtex: 'BibTeX',
  blogPost: 'Blog post',
  retrievedFrom: 'Retrieved from',
  citedTitle: (title) => `“${title}” `,
  citedDate: (year, month, day) => `${year}, ${MONTH_NAMES[month - 1]} ${day}`,
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Selected: press Ctrl+C to copy',
  copyPlainLabel: 'Copy the plain-text citation',
  copyBibtexLabel: 'Copy the BibTeX entry',
  downloadBibtex: 'Download BibTeX',
  downloadRis: 'Download RIS',
  downloadCsl: 'Download CSL-JSON',
  commentsTitle: (n) => count(n, 'comment'),
  noComments: 'No comments yet. Start the discussion.',
  reply: 'Reply',
  replyTo: (name) => `Reply to ${name}`,
  cancelReply: 'Cancel reply',
  leaveComment: 'Leave a comment',
  fieldAuthor: 'Name',
  fieldEmail: 'E-mail',
  fieldEmailHint: 'optional, never shown',
  fieldUrl: 'Website',
  fieldBody: 'Comment',
  fieldBodyHint: 'Markdown and LaTeX: inline $…$, display $$…$$',
  emojiButton: 'Emoji',
  emojiPanel: 'Insert an emoji',
  mathInline: 'Inline math',
  mathDisplay: 'Display math',
  mathInlineTitle: 'Insert inline math $…$ (the selected text goes inside)',
  mathDisplayTitle: 'Insert display math $$…$$ (the selected text goes inside)',
  submit: 'Post comment',
  inReplyTo: 'In reply to',
  authorBadge: 'Author',
  pinnedBadge: 'Pinned',
  like: 'Like',
  likeTitle: (author) => `Like ${author}'s comment (again to take the like back)`,
  likeFailed: 'The like could not be sent; please try again.',
  reactionsTitle: 'What did you think of this post?',
  reactionLabels: { like: 'Like', insightful: 'Insightful', mindblown: 'Mind-blowing', confused: 'Confusing', love: 'Love it' },
  reactionTitle: (label) => `${label} (one per reader; again to take it back)`,
  reactionFailed: 'The reaction could not be sent; please try again.',
  edited: 'edited',
  timeAgo: {
    justNow: 'just now',
    minute: ['1 minute ago', '{n} minutes ago'],
    hour: ['1 hour ago', '{n} hours ago'],
    day: ['1 day ago', '{n} days ago'],
    month: ['1 month ago', '{n} months ago'],
    year: ['1 year ago', '{n} years ago'],
  },
  editedAt: 'Edited',
  awaitingModeration: 'Your comment is awaiting moderation. Only you can see it for now.',
  commentDeleted: 'This comment was deleted.',
  commentNumber: (id) => `comment #${id}`,
  commentPages: 'Comment pages',
  commentSort: 'Sort comments',
  commentOrders: { oldest: 'Oldest', newest: 'Newest', hot: 'Top' },
  commentPage: (n) => `Comments page ${n}`,
  prevCommentPage: '« Previous',
  nextCommentPage: 'Next »',
  preview: 'Preview',
  previewTitle: 'Preview',
  previewFailed: 'The preview failed. Try again in a moment.',
  notifyReplies: 'E-mail me when someone replies (needs your e-mail)',
  honeypotLabel: 'Leave this field empty',
  moderationHintFirst: 'Your first comment appears once it has been approved.',
  moderationHintAll: 'Comments appear once they have been approved.',
  turnstileNeedsJs: 'Posting a comment needs JavaScript (for the spam check).',
  commentsClosed: 'Comments are closed.',
  editComment: 'Edit',
  deleteComment: 'Delete',
  saveComment: 'Save',
  cancelEdit: 'Cancel',
  editCommentLabel: 'Edit your comment',
  confirmDeleteComment: 'Delete this comment?',
  requestFailed: 'Something went wrong. Try again in a moment.',
  badLink: 'This link is invalid or has expired.',
  unsubscribeTitle: 'Reply notifications',
  unsubscribeText: 'Stop e-mails about replies to this comment?',
  unsubscribeButton: 'Unsubscribe',
  unsubscribed: 'Done: you will get no more e-mails about replies to this comment.',
  unsubscribeCrossSite:
    "For safety, unsubscribing is confirmed only on this site's unsubscribe page: open the unsubscribe link in the notification e-mail again and press Unsubscribe.",
  notFoundTitle: 'Not found',
  notFoundText: 'The page you are looking for does not exist.',
  goneTitle: 'Post deleted',
  goneText: 'The author has deleted this post.',
  errorTitle: 'Something went wrong',
  badRequestTitle: 'Could not submit',
  invalidRequestTitle: 'Invalid request',
  crossSiteForm: "Cross-site form submissions are not accepted: go back to this site's page and submit the form there.",
  methodNotAllowedTitle: 'Method not allowed',
  methodNotAllowedText: (allow) =>
    `This address takes only ${allow.length > 1 ? `${allow.slice(0, -1).join(', ')} or ${allow.at(-1)}` : allow.join('')} requests.`,
  backToPost: 'Back to the post',
  unavailableTitle: 'Try again in a moment',
  unavailableText: 'This post was just published and is still reaching the server near you. Reload in a few seconds.',
  anchorLabel: 'Link to this section',
  footnotesHeading: 'Notes',
  footnoteBack: 'Back to the text',
  poweredBy: 'Runs on Cloudflare Workers',
  skipToContent: 'Skip to content',
  siteNav: 'Site',
  navHome: 'Home',
  navPopular: 'Most read',
  navCategories: 'Categories',
  navArchive: 'Archive',
  previewDraft: 'Draft preview: readers cannot see this post.',
  previewScheduled: (when) => `Scheduled preview: publishes at ${when}.`,
  previewPublished: 'Preview: this post is published.',
  categoryTitle: (name) => `Category: ${name}`,
  tagTitle: (name) => `Tag: ${name}`,
  postCount: (n) => count(n, 'post'),
  allCategories: 'All categories',
  allTags: 'All tags',
  moreTags: 'All tags',
  noTerms: 'None yet.',
  archiveTitle: 'Archive',
  archiveIntro: (n) => `${count(n, 'post')}, newest first.`,
  monthHeading: (year, month) => `${MONTH_NAMES[month - 1]} ${year}`,
  seriesTitle: (name) => `Series: ${name}`,
  seriesPart: (n, total) => `Part ${n} of ${total}`,
  relatedPosts: 'Related posts',
  prevPost: 'Previous',
  nextPost: 'Next',
  postNav: 'More posts',
  commentsFeedTitle: (site) => `Comments on ${site}`,
  commentFeedItem: (author, postTitle) => `${author} on ${postTitle}`,
  postCommentsFeedTitle: (postTitle) => `Comments on “${postTitle}”`,
  themeToggleLabel: 'Switch between light, dark and the system appearance',
  themeLight: 'Theme: light',
  themeDark: 'Theme: dark',
  themeSystem: 'Theme: system',
  licenseBefore: 'Posts on this site are licensed under ',
  licenseAfter: '. Please credit the source when you republish.',
  search: 'Search',
  searchLabel: 'Search posts',
  searchSite: 'Site search',
  searchTitle: (q) => `Search results for “${q}”`,
  searchIntro: 'Searches titles, text and tags. Word beginnings are enough (converg finds convergence); Chinese works without spaces.',
  searchCount: (n) => `${count(n, 'post')} found`,
  searchNone: 'No posts found. Try another word.',
  searchNoTerms: 'Type a word of at least two letters (or one Chinese character).',
  searchTooLong: (max) => `The search is too long (at most ${max} characters).`,
  searchBadChars: 'The search contains control characters.',
  searchBadPage: 'That is not a page number.',
  commentErrors: commentErrorsEn,
  notice: noticeEn,
  admin: adminEn,
}

const dictionaries = { zh, en } as const

/** The dictionary for a site language. */
export function strings(language: 'zh' | 'en'): Strings {
  return dictionaries[language]
}

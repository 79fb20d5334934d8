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
  popularIntro: string
  trendTitle: (days: number) => string
  noPosts: string
  newer: string
  older: string
  pageOf: (n: number, total: number) => string
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
  submit: string
  inReplyTo: string
  /** The author badge next to the blog author's own comments. */
  authorBadge: string
  /** The mark on an edited comment; `editedAt` + the time is its tooltip. */
  edited: string
  editedAt: string
  /** Shown on a writer's own comment while it waits for approval (only they see it). */
  awaitingModeration: string
  /** The placeholder of a deleted comment that still has replies. */
  commentDeleted: string
  /** The "in reply to" link to a comment whose author is not on this page, e.g. 评论 #12. */
  commentNumber: (id: number) => string
  /** The comment pages navigation. */
  commentPages: string
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
  notFoundTitle: string
  notFoundText: string
  goneTitle: string
  goneText: string
  errorTitle: string
  badRequestTitle: string
  /** A 4xx for an address that was only read (GET/HEAD): nothing was submitted. */
  invalidRequestTitle: string
  backToPost: string
  unavailableTitle: string
  unavailableText: string
  anchorLabel: string
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
  prevPost: string
  nextPost: string
  postNav: string
  /** Feeds (routes/feeds.ts): the comments feed's title and one comment's item title. */
  commentsFeedTitle: (site: string) => string
  commentFeedItem: (author: string, postTitle: string) => string
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
  /** The web admin (routes/admin.tsx). */
  admin: AdminStrings
}

/** The web admin at /admin (routes/admin.tsx, views/admin/). */
export interface AdminStrings {
  title: string
  nav: string
  navPosts: string
  navNew: string
  navComments: string
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
  saved: string
  published: string
  deleted: (id: string) => string
  restored: (n: number) => string
  stale: string
  reloadLatest: string
  idTaken: string
  failed: string
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
  deleteComment: string
  confirmDeleteComment: string
  noComments: string
  moderated: string
}

const adminZh: AdminStrings = {
  title: '管理',
  nav: '管理导航',
  navPosts: '文章',
  navNew: '写文章',
  navComments: '评论审核',
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
  confirmDelete: '确定删除这篇文章吗？（评论和阅读数会保留，重新发布同一 ID 可恢复。）',
  saved: '已保存为草稿。',
  published: '已发布。',
  deleted: (id) => `已删除文章 ${id}。`,
  restored: (n) => `已恢复修订版本 r${n}。`,
  stale: '这篇文章在你打开之后被修改过，你的更改没有保存。下面保留了你的文本：请复制它，打开最新版本后再合并。',
  reloadLatest: '打开最新版本',
  idTaken: '这个 ID 已被使用（包括已删除的文章）。',
  failed: '操作失败：',
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
  deleteComment: '删除',
  confirmDeleteComment: '确定删除这条评论吗？',
  noComments: '这里没有评论。',
  moderated: '已处理。',
}

const adminEn: AdminStrings = {
  title: 'Admin',
  nav: 'Admin navigation',
  navPosts: 'Posts',
  navNew: 'New post',
  navComments: 'Comments',
  navSite: 'Back to the site',
  signInTitle: 'Sign in to the admin',
  signInIntro:
    'Enter the admin token (ADMIN_TOKEN). The browser then keeps only a session cookie that expires; the token itself is never kept in the page or the browser.',
  tokenLabel: 'Admin token',
  signIn: 'Sign in',
  signOut: 'Sign out',
  wrongToken: 'That token is not right.',
  tooManyAttempts: (s) => `Too many failed attempts; try again in ${s} seconds.`,
  sessionExpired: 'Your session has expired or is not valid; please sign in again.',
  csrfFailed: 'This form is no longer valid (CSRF check failed); nothing was changed. Reload the page and try again.',
  postsTitle: 'Posts and drafts',
  statuses: { all: 'All', published: 'Published', draft: 'Draft', scheduled: 'Scheduled', deleted: 'Deleted' },
  statusFilter: 'Filter by status',
  colTitle: 'Title',
  colStatus: 'Status',
  colDate: 'Date',
  colActions: 'Actions',
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
  confirmDelete: 'Delete this post? (Its comments and count are kept; publishing the same id again brings them back.)',
  saved: 'Saved as a draft.',
  published: 'Published.',
  deleted: (id) => `Post ${id} deleted.`,
  restored: (n) => `Revision r${n} restored.`,
  stale:
    'This post was changed after you opened it, so your edit was not saved. Your text is kept below: copy it, open the latest version and merge.',
  reloadLatest: 'Open the latest version',
  idTaken: 'That id is already used (deleted posts included).',
  failed: 'Failed: ',
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
  deleteComment: 'Delete',
  confirmDeleteComment: 'Delete this comment?',
  noComments: 'No comments here.',
  moderated: 'Done.',
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
  popularIntro: '按读者数排列（约每分钟更新）。',
  trendTitle: (days) => `最近${days}天的读者`,
  noPosts: '还没有文章。',
  newer: '« 较新的文章',
  older: '较早的文章 »',
  pageOf: (n, total) => `第 ${n} / ${total} 页`,
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
  submit: '提交评论',
  inReplyTo: '回复',
  authorBadge: '博主',
  edited: '已编辑',
  editedAt: '编辑于',
  awaitingModeration: '您的评论正在等待审核，目前只有您自己能看到。',
  commentDeleted: '此评论已删除。',
  commentNumber: (id) => `评论 #${id}`,
  commentPages: '评论分页',
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
  notFoundTitle: '页面不存在',
  notFoundText: '你要找的页面不存在，可能已被移动或从未发表。',
  goneTitle: '文章已删除',
  goneText: '这篇文章已被作者删除。',
  errorTitle: '出错了',
  badRequestTitle: '无法提交',
  invalidRequestTitle: '请求有误',
  backToPost: '返回文章',
  unavailableTitle: '请稍后再试',
  unavailableText: '这篇文章刚刚发表，正在同步到你附近的节点，请几秒钟后刷新。',
  anchorLabel: '本节链接',
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
  prevPost: '上一篇',
  nextPost: '下一篇',
  postNav: '前后文章',
  commentsFeedTitle: (site) => `${site} 的最新评论`,
  commentFeedItem: (author, postTitle) => `${author} 评论 ${postTitle}`,
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
  admin: adminZh,
}

const en: Strings = {
  htmlLang: 'en',
  by: 'By',
  readers: (n) => `${n} ${n === 1 ? 'reader' : 'readers'}`,
  comments: (n) => `${n} ${n === 1 ? 'comment' : 'comments'}`,
  cite: 'Cite',
  readMore: 'Read more',
  recentComments: 'Recent comments',
  noRecentComments: 'No comments yet.',
  popularPosts: 'Most read',
  sitePages: 'Pages',
  morePopular: 'More',
  popularIntro: 'By number of readers (updated about every minute).',
  trendTitle: (days) => `Readers over the last ${days} days`,
  noPosts: 'No posts yet.',
  newer: '« Newer posts',
  older: 'Older posts »',
  pageOf: (n, total) => `Page ${n} of ${total}`,
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
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Selected: press Ctrl+C to copy',
  copyPlainLabel: 'Copy the plain-text citation',
  copyBibtexLabel: 'Copy the BibTeX entry',
  downloadBibtex: 'Download BibTeX',
  downloadRis: 'Download RIS',
  downloadCsl: 'Download CSL-JSON',
  commentsTitle: (n) => `${n} ${n === 1 ? 'comment' : 'comments'}`,
  noComments: 'No comments yet. Start the discussion.',
  reply: 'Reply',
  replyTo: (name) => `Reply to ${name}`,
  cancelReply: 'Cancel reply',
  leaveComment: 'Leave a comment',
  fieldAuthor: 'Name',
  fieldEmail: 'Email',
  fieldEmailHint: 'optional, never shown',
  fieldUrl: 'Website',
  fieldBody: 'Comment',
  fieldBodyHint: 'Markdown and LaTeX: inline $…$, display $$…$$',
  submit: 'Post comment',
  inReplyTo: 'In reply to',
  authorBadge: 'Author',
  edited: 'edited',
  editedAt: 'Edited',
  awaitingModeration: 'Your comment is awaiting moderation. Only you can see it for now.',
  commentDeleted: 'This comment was deleted.',
  commentNumber: (id) => `comment #${id}`,
  commentPages: 'Comment pages',
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
  notFoundTitle: 'Not found',
  notFoundText: 'The page you are looking for does not exist.',
  goneTitle: 'Post deleted',
  goneText: 'The author has deleted this post.',
  errorTitle: 'Something went wrong',
  badRequestTitle: 'Could not submit',
  invalidRequestTitle: 'Invalid request',
  backToPost: 'Back to the post',
  unavailableTitle: 'Try again in a moment',
  unavailableText: 'This post was just published and is still reaching the server near you. Reload in a few seconds.',
  anchorLabel: 'Link to this section',
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
  postCount: (n) => (n === 1 ? '1 post' : `${n} posts`),
  allCategories: 'All categories',
  allTags: 'All tags',
  moreTags: 'All tags',
  noTerms: 'None yet.',
  archiveTitle: 'Archive',
  archiveIntro: (n) => (n === 1 ? '1 post, newest first.' : `${n} posts, newest first.`),
  monthHeading: (year, month) =>
    `${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][month - 1]} ${year}`,
  seriesTitle: (name) => `Series: ${name}`,
  seriesPart: (n, total) => `Part ${n} of ${total}`,
  prevPost: 'Previous',
  nextPost: 'Next',
  postNav: 'More posts',
  commentsFeedTitle: (site) => `Comments on ${site}`,
  commentFeedItem: (author, postTitle) => `${author} on ${postTitle}`,
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
  searchCount: (n) => `${n} ${n === 1 ? 'post' : 'posts'} found`,
  searchNone: 'No posts found. Try another word.',
  searchNoTerms: 'Type a word of at least two letters (or one Chinese character).',
  searchTooLong: (max) => `The search is too long (at most ${max} characters).`,
  searchBadChars: 'The search contains control characters.',
  searchBadPage: 'That is not a page number.',
  admin: adminEn,
}

const dictionaries = { zh, en } as const

/** The dictionary for a site language. */
export function strings(language: 'zh' | 'en'): Strings {
  return dictionaries[language]
}

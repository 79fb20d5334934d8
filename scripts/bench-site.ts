/**
 * A realistic, deterministic site for the benchmarks (`npm run bench`, `npm run bench:cpu`):
 * Chinese and English math posts (3–15 KB of markdown each, inline and display formulas, numbered
 * equations, headings, lists, code, a few tables), 6 categories, 32 tags, 6 series, and comments
 * spread over the posts with one hot post that gets exactly HOT_COMMENTS. The same seed always
 * gives the same site, so runs are comparable.
 *
 * `seedSite` publishes it through the public API of a running blog (127.0.0.1 only): posts with
 * `PUT /api/posts/:id` (rendered in the Worker, or here with the `prerender` option and sent as
 * `?prerendered=1`, and flushed through the Site object, exactly as an author's publish), comments
 * with `POST /api/posts/:id/comments` from distinct simulated visitors (each its own
 * CF-Connecting-IP) or through the comment importer, both with bounded concurrency.
 */

/** mulberry32: a small, fast, seedable PRNG (the same sequence on every machine). */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Rand = () => number
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
const between = (rand: Rand, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1))

export const CATEGORIES: readonly (readonly [name: string, slug: string])[] = [
  ['数学研究', 'mathematics'],
  ['物理', 'physics'],
  ['机器学习', 'machine-learning'],
  ['信息论', 'information-theory'],
  ['概率统计', 'probability-statistics'],
  ['数值计算', 'numerical-computing'],
]

export const TAGS: readonly string[] = [
  '矩阵',
  '积分',
  '级数',
  '概率',
  '微分方程',
  '傅里叶分析',
  '复分析',
  '数论',
  '优化',
  '凸分析',
  '熵',
  '量子力学',
  '相对论',
  '统计力学',
  '变分法',
  '特殊函数',
  '线性代数',
  '泛函分析',
  '随机过程',
  '信息几何',
  'softmax',
  'attention',
  'transformer',
  'gradient-descent',
  'bayesian',
  'kernel',
  'eigenvalues',
  'convergence',
  'numerics',
  'group-theory',
  'topology',
  'combinatorics',
]

const SERIES = ['从 softmax 到注意力', '变分推断笔记', '随机矩阵漫谈', 'Notes on Convex Duality', '数值积分五讲', '熵的故事']

const ZH_SENTENCES = [
  '我们先回顾一下矩阵的特征值分解，这是后面所有推导的基础。',
  '这个结果看起来有些意外，但仔细想想其实非常自然。',
  '注意这里的积分是在整个实数轴上进行的，所以需要检查收敛性。',
  '从概率的角度看，这个式子说的是期望与方差之间的一个简单关系。',
  '如果把求和换成积分，就得到了连续情形下的类似结论。',
  '读者可以自己验证，当参数趋于零时，上式退化为熟悉的形式。',
  '这一步用到了柯西不等式，等号成立当且仅当两个向量线性相关。',
  '矩阵的迹在相似变换下不变，这让很多计算变得简单。',
  '为了避免数值上的溢出，实际计算时通常先减去最大值。',
  '在量子力学中，这样的算符称为厄米算符，它的本征值都是实数。',
  '熵刻画了分布的不确定性，而相对熵衡量两个分布之间的差异。',
  '下面给出一个更一般的证明，它不依赖于具体的坐标选择。',
  '这种技巧在处理级数求和时非常有用，值得单独记下来。',
  '一个常见的误解是把这里的收敛当成一致收敛，其实并非如此。',
  '我们用泰勒展开来近似这个函数，只保留到二阶项。',
  '把这个想法推广到高维空间，需要用到雅可比矩阵的行列式。',
  '最优化问题的拉格朗日对偶给出了一个下界，这个下界往往是紧的。',
  '在傅里叶空间里，卷积变成了乘积，这正是问题变简单的原因。',
  '特殊函数的渐近展开通常可以用最速下降法得到。',
  '随机矩阵的谱分布在维数趋于无穷时收敛到半圆律。',
]

const EN_SENTENCES = [
  'We first recall the spectral decomposition of a symmetric matrix, which underlies everything below.',
  'The result looks surprising at first, but on reflection it is entirely natural.',
  'Note that the integral runs over the whole real line, so convergence has to be checked.',
  'From a probabilistic point of view the identity relates an expectation to a variance.',
  'Replacing the sum by an integral gives the analogous statement in the continuous case.',
  'The reader may verify that the expression reduces to the familiar form as the parameter tends to zero.',
  'This step uses the Cauchy–Schwarz inequality, with equality exactly when the vectors are parallel.',
  'The trace of a matrix is invariant under similarity, which simplifies many computations.',
  'To avoid overflow one subtracts the maximum before exponentiating.',
  'Gradient descent converges linearly when the objective is strongly convex and smooth.',
  'The entropy measures uncertainty, while the relative entropy measures the discrepancy between two distributions.',
  'A more general proof follows; it does not depend on a choice of coordinates.',
  'The series converges absolutely, so the order of summation does not matter.',
  'Taylor expansion to second order gives a quadratic approximation of the loss.',
  'Lagrangian duality provides a lower bound that is often tight.',
  'In Fourier space convolution becomes multiplication, which is why the problem becomes easy.',
]

const INLINE = [
  '$x_i > 0$',
  '$\\sum_{i=1}^{n} x_i = 1$',
  '$\\mathbb{E}[X] = \\mu$',
  '$\\operatorname{Var}(X) = \\sigma^2$',
  '$A = Q\\Lambda Q^\\top$',
  '$\\lambda_{\\max}(A)$',
  '$\\|x\\|_2 \\le \\|x\\|_1$',
  '$f(x) = e^{-x^2/2}$',
  '$\\int_0^1 x^n\\,dx = \\frac{1}{n+1}$',
  '$\\hbar\\omega$',
  '$H(p) = -\\sum_i p_i \\log p_i$',
  '$\\nabla f(x^\\star) = 0$',
  '$\\det(I + AB) = \\det(I + BA)$',
  '$\\zeta(2) = \\pi^2/6$',
  '$O(n \\log n)$',
  '$\\alpha \\in (0, 1)$',
  '$\\langle \\psi | H | \\psi \\rangle$',
  '$p(x \\mid \\theta)$',
  '$\\operatorname{softmax}(z)_i$',
  '$\\tau \\to 0^+$',
]

const DISPLAY = [
  '$$\n\\int_{-\\infty}^{\\infty} e^{-x^2}\\,dx = \\sqrt{\\pi}\n$$',
  '$$\n\\operatorname{softmax}(x)_i = \\frac{e^{x_i/\\tau}}{\\sum_{j=1}^{n} e^{x_j/\\tau}}\n$$',
  '\\begin{equation}\nD_{\\mathrm{KL}}(p\\,\\|\\,q) = \\sum_x p(x) \\log \\frac{p(x)}{q(x)} \\ge 0\n\\end{equation}',
  '\\begin{align}\nf(x) &= \\int_0^\\infty \\frac{e^{-t x}}{1+t^2}\\,dt \\\\\n&= \\sum_{k=0}^\\infty \\frac{(-1)^k (2k)!}{x^{2k+1}}\n\\end{align}',
  '$$\n\\left(\\sum_{i=1}^n a_i b_i\\right)^2 \\le \\left(\\sum_{i=1}^n a_i^2\\right)\\left(\\sum_{i=1}^n b_i^2\\right)\n$$',
  '\\begin{equation}\ni\\hbar\\frac{\\partial}{\\partial t}\\Psi(\\mathbf{r},t) = \\left[-\\frac{\\hbar^2}{2m}\\nabla^2 + V(\\mathbf{r})\\right]\\Psi(\\mathbf{r},t)\n\\end{equation}',
  '$$\n\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}^{-1} = \\frac{1}{ad-bc}\\begin{pmatrix} d & -b \\\\ -c & a \\end{pmatrix}\n$$',
  '\\begin{align*}\n\\mathbb{E}[X] &= \\int x\\, p(x)\\,dx \\\\\n\\operatorname{Var}(X) &= \\mathbb{E}[X^2] - \\mathbb{E}[X]^2\n\\end{align*}',
  '$$\n\\zeta(s) = \\sum_{n=1}^{\\infty} \\frac{1}{n^s} = \\prod_{p} \\frac{1}{1-p^{-s}}\n$$',
  '$$\nx_{k+1} = x_k - \\eta \\nabla f(x_k), \\qquad \\|x_k - x^\\star\\| \\le (1-\\eta\\mu)^k \\|x_0 - x^\\star\\|\n$$',
  '$$\n|x| = \\begin{cases} x & x \\ge 0 \\\\ -x & x < 0 \\end{cases}\n$$',
  '\\begin{gather}\n\\nabla \\cdot \\mathbf{E} = \\frac{\\rho}{\\varepsilon_0} \\\\\n\\nabla \\times \\mathbf{B} = \\mu_0 \\mathbf{J} + \\mu_0\\varepsilon_0 \\frac{\\partial \\mathbf{E}}{\\partial t}\n\\end{gather}',
]

const ZH_HEADINGS = ['问题的提出', '基本思路', '推导', '一个例子', '推广', '数值验证', '讨论', '小结']
const EN_HEADINGS = ['Setting', 'The idea', 'Derivation', 'An example', 'Generalisation', 'Numerics', 'Discussion', 'Summary']
const ZH_TITLES = ['浅谈', '再谈', '从零推导', '一个有趣的恒等式：', '笔记：', '关于', '漫谈']
const EN_TITLES = ['A note on', 'Revisiting', 'Deriving', 'Why', 'Notes on', 'On']
const TOPICS_ZH = [
  '矩阵的特征值',
  '高斯积分',
  '相对熵',
  '梯度下降的收敛',
  '黎曼ζ函数',
  '薛定谔方程',
  '柯西不等式',
  '随机矩阵',
  'softmax 的温度',
  '拉格朗日对偶',
]
const TOPICS_EN = [
  'the Gaussian integral',
  'eigenvalue bounds',
  'relative entropy',
  'convergence of gradient descent',
  'the zeta function',
  'convex duality',
  'random matrices',
  'softmax temperature',
]

const CODE =
  '```python\nimport numpy as np\n\ndef softmax(x, tau=1.0):\n    z = (x - x.max()) / tau\n    e = np.exp(z)\n    return e / e.sum()\n```'
const TABLE =
  '| $n$ | $\\sum_{k\\le n} 1/k^2$ | 误差 |\n| --- | --- | --- |\n| 10 | 1.5498 | $9.5\\times 10^{-2}$ |\n| 100 | 1.6350 | $9.9\\times 10^{-3}$ |\n| 1000 | 1.6439 | $1.0\\times 10^{-3}$ |'

export interface BenchPost {
  id: string
  title: string
  category: string
  categorySlug: string
  tags: string[]
  series?: string
  english: boolean
  /** The whole file: front matter and body. */
  markdown: string
  bytes: number
}

export interface BenchComment {
  postId: string
  /** Index (0-based) of the earlier comment on the same post this one answers, if any. */
  parentIndex?: number
  author: string
  email?: string
  body: string
}

export interface BenchSite {
  posts: BenchPost[]
  comments: BenchComment[]
  /** The post with exactly `hotComments` comments (the newest post: on the front page too). */
  hot: string
  /** A post with a few comments, the target of the comment POST under load (not the hot post). */
  commentTarget: string
  /** The biggest category (its slug). */
  category: string
  /** A common Chinese search word and an English prefix that occur in many posts. */
  searchZh: string
  searchEn: string
}

function paragraph(rand: Rand, english: boolean, index: number): string {
  const sentences = english ? EN_SENTENCES : ZH_SENTENCES
  const parts: string[] = []
  const n = between(rand, 3, 6)
  for (let i = 0; i < n; i++) {
    parts.push(pick(rand, sentences))
    if (rand() < 0.6)
      parts.push(
        english ? ` Here ${pick(rand, INLINE)} and ${pick(rand, INLINE)}.` : `这里${pick(rand, INLINE)}，且${pick(rand, INLINE)}。`,
      )
  }
  // A number that makes every paragraph distinct (search snippets and duplicate checks see real variety).
  parts.push(english ? ` (Remark ${index}.)` : `（注${index}）`)
  return parts.join(english ? ' ' : '')
}

/** A paragraph with exactly two inline formulas (the heavy post's filler). */
function formulaParagraph(rand: Rand, english: boolean, index: number): string {
  const sentences = english ? EN_SENTENCES : ZH_SENTENCES
  const f = () => pick(rand, INLINE)
  return english
    ? `${pick(rand, sentences)} With ${f()} and ${f()} this follows. ${pick(rand, sentences)} ${pick(rand, sentences)} (Remark ${index}.)`
    : `${pick(rand, sentences)}由${f()}和${f()}即得。${pick(rand, sentences)}${pick(rand, sentences)}（注${index}）`
}

/** The body of a post of about `target` bytes. */
function body(rand: Rand, english: boolean, target: number, heavy: boolean): string {
  const blocks: string[] = []
  let bytes = 0
  let section = 0
  let k = 0
  const headings = english ? EN_HEADINGS : ZH_HEADINGS
  while (bytes < target) {
    let block: string
    if (k > 0 && k % 4 === 0 && section < headings.length) block = `## ${headings[section++]}`
    else if (heavy) block = k % 3 === 0 ? pick(rand, DISPLAY) : formulaParagraph(rand, english, k)
    else if (rand() < 0.3) block = pick(rand, DISPLAY)
    else if (rand() < 0.04) block = CODE
    else if (rand() < 0.03) block = TABLE
    else if (rand() < 0.05)
      block = `- ${pick(rand, INLINE)}\n- ${pick(rand, INLINE)}\n- ${pick(rand, english ? EN_SENTENCES : ZH_SENTENCES)}`
    else block = paragraph(rand, english, k)
    blocks.push(block)
    bytes += Buffer.byteLength(block) + 2
    k++
  }
  return blocks.join('\n\n')
}

const yamlString = (s: string) => JSON.stringify(s)

function frontMatter(p: Omit<BenchPost, 'markdown' | 'bytes'>, date: string): string {
  const lines = [
    '---',
    `title: ${yamlString(p.title)}`,
    `date: ${date}`,
    `category: ${yamlString(p.category)}`,
    `category_slug: ${p.categorySlug}`,
    `tags: [${p.tags.map(yamlString).join(', ')}]`,
  ]
  if (p.series) lines.push(`series: ${yamlString(p.series)}`)
  lines.push('---', '')
  return lines.join('\n')
}

/** `YYYY-MM-DD HH:MM` in the site's zone: post i of n, spread over ten years, oldest first. */
function dateOf(i: number, n: number): string {
  const start = Date.UTC(2016, 0, 1, 1, 0)
  const t = new Date(start + Math.floor((i / Math.max(1, n)) * 10 * 365 * 86_400_000))
  const two = (x: number) => String(x).padStart(2, '0')
  return `${t.getUTCFullYear()}-${two(t.getUTCMonth() + 1)}-${two(t.getUTCDate())} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}`
}

export function makePost(rand: Rand, i: number, n: number, opts: { heavyBytes?: number } = {}): BenchPost {
  const english = rand() < 0.25
  // Categories are skewed: the first is the biggest (it is the one the bench reads).
  const [category, categorySlug] = CATEGORIES[Math.min(CATEGORIES.length - 1, Math.floor(-Math.log(1 - rand() * 0.95) * 2))]!
  const tags = new Set<string>()
  const nTags = between(rand, 2, 5)
  while (tags.size < nTags) tags.add(pick(rand, TAGS))
  const series = rand() < 0.06 ? pick(rand, SERIES) : undefined
  const title = english
    ? `${pick(rand, EN_TITLES)} ${pick(rand, TOPICS_EN)} (${i + 1})`
    : `${pick(rand, ZH_TITLES)}${pick(rand, TOPICS_ZH)}（${i + 1}）`
  const target = opts.heavyBytes ?? between(rand, 3_000, 15_000)
  const head = { id: String(i + 1), title, category, categorySlug, tags: [...tags], series, english }
  const markdown = frontMatter(head, dateOf(i, n)) + '\n' + body(rand, english, target - 200, opts.heavyBytes !== undefined) + '\n'
  return { ...head, markdown, bytes: Buffer.byteLength(markdown) }
}

const COMMENT_ZH = [
  '写得很清楚，谢谢！',
  '第二步的不等式方向是不是反了？',
  '请问这里为什么可以交换求和与积分的顺序？',
  '补充一个参考文献：这个结果最早出现在一篇七十年代的论文里。',
  '我用数值方法验证了一下，结果一致。',
  '如果矩阵不是对称的，结论还成立吗？',
  '这个推导比教科书上的简洁多了。',
  '期待下一篇！',
]
const COMMENT_EN = [
  'Very clear, thanks!',
  'Is the inequality in the second step reversed?',
  'Why can the sum and the integral be swapped here?',
  'I checked it numerically and it matches.',
  'Does this still hold for non-symmetric matrices?',
]
const COMMENT_MATH = [
  '$\\alpha_k \\to 0$',
  '$\\mathbb{E}[X \\mid Y]$',
  '$\\lambda_{\\min}(A) > 0$',
  '$\\sum_n 1/n^2$',
  '$e^{i\\pi} + 1 = 0$',
]

function makeComment(rand: Rand, postId: string, index: number, n: number): BenchComment {
  const english = rand() < 0.2
  let text = pick(rand, english ? COMMENT_EN : COMMENT_ZH)
  if (rand() < 0.4) text += english ? ` For instance ${pick(rand, COMMENT_MATH)}.` : `比如${pick(rand, COMMENT_MATH)}。`
  // Distinct text per comment: names repeat, and the post's object refuses a writer's same text twice (409).
  text += english ? ` (#${n})` : `（#${n}）`
  const parentIndex = index > 0 && rand() < 0.33 ? Math.floor(rand() * index) : undefined
  return {
    postId,
    parentIndex,
    author: english ? `Reader ${n % 997}` : `读者${n % 997}`,
    email: rand() < 0.5 ? `reader${n}@example.com` : undefined,
    body: text,
  }
}

export interface SiteOptions {
  posts?: number
  comments?: number
  hotComments?: number
  seed?: number
}

/** The whole site, deterministic for given options. */
export function generateSite(opts: SiteOptions = {}): BenchSite {
  const n = opts.posts ?? 1000
  const total = opts.comments ?? 10_000
  const hotComments = Math.min(opts.hotComments ?? 200, total)
  const rand = prng(opts.seed ?? 20261125)
  const posts = Array.from({ length: n }, (_, i) => makePost(rand, i, n))
  const hot = posts[n - 1]!.id
  const commentTarget = posts[Math.floor(n / 2)]!.id
  // The rest of the comments: a skewed share per post (recent and a few popular posts get more).
  const weights = posts.map((_, i) => (i === n - 1 ? 0 : (0.2 + i / n) * (rand() < 0.05 ? 8 : 1)))
  const sum = weights.reduce((a, b) => a + b, 0)
  const perPost = weights.map((w) => Math.floor(((total - hotComments) * w) / sum))
  let left = total - hotComments - perPost.reduce((a, b) => a + b, 0)
  for (let i = 0; left > 0; i = (i + 1) % (n - 1), left--) perPost[i]!++
  perPost[n - 1] = hotComments
  const comments: BenchComment[] = []
  let counter = 0
  posts.forEach((p, i) => {
    for (let k = 0; k < perPost[i]!; k++) comments.push(makeComment(rand, p.id, k, counter++))
  })
  const counts = new Map<string, number>()
  for (const p of posts) counts.set(p.categorySlug, (counts.get(p.categorySlug) ?? 0) + 1)
  const category = [...counts].sort((a, b) => b[1] - a[1])[0]![0]
  return { posts, comments, hot, commentTarget, category, searchZh: '矩阵', searchEn: 'converg' }
}

/** A post of about `bytes` of markdown with about `formulas` formulas (the publishing CPU measure). */
export function heavyPost(bytes = 31_500, seed = 7): BenchPost {
  return makePost(prng(seed), 9999, 10_000, { heavyBytes: bytes })
}

/** Runs `fn` over `items` with at most `limit` in flight (lanes 0 … limit−1); stops at the first error. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T, i: number, lane: number) => Promise<void>): Promise<void> {
  let next = 0
  let failed: unknown = null
  async function lane(n: number): Promise<void> {
    while (failed === null && next < items.length) {
      const i = next++
      try {
        await fn(items[i]!, i, n)
      } catch (err) {
        failed ??= err
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, (_, n) => lane(n)))
  if (failed !== null) throw failed
}

/** A distinct simulated visitor address for visitor number i (203.0.113.0/24 and beyond, private ranges). */
export const visitorIp = (i: number): string => `172.${16 + ((i >> 16) & 15)}.${(i >> 8) & 255}.${i & 255}`

/**
 * fetch, retried (up to 3 times) when the connection fails before an answer: workerd closes idle
 * keep-alive sockets, and Node's fetch may pick one just as it closes. Only for requests that are
 * safe to repeat (a PUT, a comment with an idempotency key).
 */
export async function retryingFetch(url: string, init: RequestInit = {}): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(SEED_REQUEST_TIMEOUT_MS) })
    } catch (err) {
      // A server that does not answer in a minute will not: no retry.
      if ((err as Error).name === 'TimeoutError') {
        throw new ServerStoppedAnswering(
          `${init.method ?? 'GET'} ${new URL(url).pathname}: no answer within ${SEED_REQUEST_TIMEOUT_MS / 1000} s`,
        )
      }
      if (attempt >= 3) throw err
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)))
    }
  }
}

/**
 * How long one seeding request may take. A PUT takes about half a second with 8 in flight (the
 * slowest of a seeding 1.5–2 s), an import request of 100 posts' comments a few seconds. workerd
 * has been seen to stop answering for good, its main thread busy in V8's message loop
 * (docs/PERFORMANCE.md, "A run that stopped answering"); without a limit, seeding would wait for it
 * forever, and every second of the limit is a second a run waits before it knows.
 */
export const SEED_REQUEST_TIMEOUT_MS = 20_000

/** A seeding request got no answer within SEED_REQUEST_TIMEOUT_MS. */
export class ServerStoppedAnswering extends Error {
  override name = 'ServerStoppedAnswering'
}

/** Posts per import request (each request stays far below the importer's limits). */
const IMPORT_POSTS = 100

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36'

export interface SeedTimings {
  postsSeconds: number
  commentsSeconds: number
  /** Of which the bulk import. */
  importSeconds: number
  importedComments: number
  postedComments: number
  /** p50 and max time of one PUT, in ms. */
  publishP50ms: number
  publishMaxms: number
}

/**
 * Publishes the site to a blog at `base` (127.0.0.1): posts with `concurrency` PUTs in flight,
 * then comments with `concurrency` POSTs in flight, each from its own visitor address, carrying
 * the form time `ts` (signed by the blog, obtained once and aged past COMMENT_MIN_SECONDS).
 */
export async function seedSite(
  base: string,
  token: string,
  site: BenchSite,
  opts: {
    concurrency?: number
    commentConcurrency?: number
    /**
     * Renders a post here (its markdown file in, the `?prerendered=1` JSON body out), as an author
     * does with `npm run render -- --publish`: the Worker then stores it without rendering. Without
     * it, each PUT sends the markdown and the Worker renders it.
     */
    prerender?: (markdown: string) => unknown
    /** Which posts' comments go through POST /api/posts/:id/comments (default: the hot post's); the rest are imported. */
    commentsViaApi?: (postId: string) => boolean
    /**
     * The posts this state already holds (their PUT answered 2xx): skipped, and each post published
     * now is added. A seeding cut short by a server that stopped answering goes on from here on the
     * same state (a PUT is idempotent, so the one in flight when it stopped is simply sent again).
     */
    published?: Set<string>
    log?: (line: string) => void
  } = {},
): Promise<SeedTimings> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base)) throw new Error(`seeding talks to 127.0.0.1 only, not ${base}`)
  const log = opts.log ?? (() => {})
  const form = (await (await retryingFetch(`${base}/api/comments/form`)).json()) as { ts: string; minSeconds: number }
  const t0 = performance.now()
  const took: number[] = []
  const published = opts.published ?? new Set<string>()
  let done = published.size
  const todo = site.posts.filter((p) => !published.has(p.id))
  await pool(todo, opts.concurrency ?? 8, async (p, _i, lane) => {
    const t = performance.now()
    const body = opts.prerender ? JSON.stringify(opts.prerender(p.markdown)) : p.markdown
    const res = await retryingFetch(`${base}/api/posts/${p.id}${opts.prerender ? '?prerendered=1' : ''}`, {
      method: 'PUT',
      // Each lane is its own author machine: ADMIN_AUTH_LIMIT (10 attempts in flight per address)
      // counts a token check as an attempt until it has passed, so one address cannot have more.
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': opts.prerender ? 'application/json' : 'text/markdown',
        'cf-connecting-ip': `10.250.0.${lane}`,
      },
      body,
    })
    if (!res.ok) throw new Error(`PUT /api/posts/${p.id}: HTTP ${res.status} ${await res.text()}`)
    await res.arrayBuffer()
    published.add(p.id)
    took.push(performance.now() - t)
    if (++done % 250 === 0) log(`  ${done} posts published (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
  })
  const postsSeconds = (performance.now() - t0) / 1000
  const t1 = performance.now()
  const started = Date.now()
  const byPost = new Map<string, number[]>()
  site.comments.forEach((c, i) => {
    const list = byPost.get(c.postId) ?? []
    list.push(i)
    byPost.set(c.postId, list)
  })
  const viaApi = opts.commentsViaApi ?? ((postId: string) => postId === site.hot)
  // Bulk: every other post's comments through the blog's own importer (a Waline export, as when a
  // blog moves here), IMPORT_POSTS posts per request. Rendered and stored by the same code as a
  // posted comment, without the per-visitor anti-spam checks an import does not go through.
  const imported = [...byPost].filter(([postId]) => !viaApi(postId))
  const files: [string, number[]][][] = []
  for (let k = 0; k < imported.length; k += IMPORT_POSTS) files.push(imported.slice(k, k + IMPORT_POSTS))
  let importedCount = 0
  await pool(files, 2, async (file) => {
    const rows = file.flatMap(([postId, list]) =>
      list.map((i, k) => {
        const c = site.comments[i]!
        const parent = c.parentIndex !== undefined ? list[c.parentIndex] : undefined
        return {
          objectId: `c${i}`,
          nick: c.author,
          mail: c.email ?? '',
          link: '',
          comment: c.body,
          url: `/archives/${postId}/`,
          pid: parent !== undefined ? `c${parent}` : undefined,
          status: 'approved',
          insertedAt: new Date(started - 86_400_000 + i * 1000 + k).toISOString(),
        }
      }),
    )
    const res = await retryingFetch(`${base}/api/import/comments?format=waline`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'cf-connecting-ip': '10.250.1.1' },
      body: JSON.stringify({ type: 'waline', version: 1, data: { Comment: rows } }),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`POST /api/import/comments: HTTP ${res.status} ${text.slice(0, 300)}`)
    const result = JSON.parse(text) as { imported: number; skippedCount: number }
    if (result.skippedCount > 0) throw new Error(`the import skipped ${result.skippedCount} comments: ${text.slice(0, 300)}`)
    importedCount += rows.length
    log(`  ${importedCount} comments imported (${((performance.now() - t1) / 1000).toFixed(1)} s)`)
  })
  const importSeconds = (performance.now() - t1) / 1000
  // The hot post's comments: posted one by one through POST /api/posts/:id/comments, each by a
  // distinct visitor (own CF-Connecting-IP), with the blog's signed form time aged past
  // COMMENT_MIN_SECONDS (a reader takes that long to type), so every default anti-spam rule
  // applies and passes.
  const age = Date.now() - Number(form.ts.split('.')[0])
  if (age < form.minSeconds * 1000) await new Promise((r) => setTimeout(r, form.minSeconds * 1000 - age + 50))
  const t2 = performance.now()
  const ids = new Map<number, number>()
  // One lane per post at a time keeps replies after their parents; posts run in parallel.
  const queues = [...byPost].filter(([postId]) => viaApi(postId)).map(([, list]) => list)
  let visitor = 0
  let posted = 0
  await pool(queues, opts.commentConcurrency ?? 8, async (queue) => {
    for (const i of queue) {
      const c = site.comments[i]!
      const parentGlobal = c.parentIndex !== undefined ? queue[c.parentIndex] : undefined
      const parent = parentGlobal !== undefined ? ids.get(parentGlobal) : undefined
      // The idempotency key makes a retry after a dropped connection store nothing twice.
      const res = await retryingFetch(`${base}/api/posts/${c.postId}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': UA, 'cf-connecting-ip': visitorIp(++visitor) },
        body: JSON.stringify({ author: c.author, email: c.email, body: c.body, parent, ts: form.ts, key: `seed-${i}` }),
      })
      const text = await res.text()
      if (res.status !== 201) throw new Error(`POST /api/posts/${c.postId}/comments: HTTP ${res.status} ${text}`)
      ids.set(i, (JSON.parse(text) as { comment: { id: number } }).comment.id)
      posted++
    }
  })
  log(`  ${posted} comments posted through the API by ${visitor} visitors (${((performance.now() - t2) / 1000).toFixed(1)} s)`)
  const commentsSeconds = (performance.now() - t1) / 1000
  took.sort((a, b) => a - b)
  return {
    postsSeconds,
    commentsSeconds,
    importSeconds,
    importedComments: importedCount,
    postedComments: posted,
    publishP50ms: took[Math.floor(took.length / 2)] ?? 0,
    publishMaxms: took[took.length - 1] ?? 0,
  }
}

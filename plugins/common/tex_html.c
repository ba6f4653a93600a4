/* tex_html.c: see tex_html.h.  Abstracts carry math as TeX source
 * ("$\mathcal{O}(n^2)$ attention"); a page without MathJax would show it
 * raw.  This covers what abstracts use (letters, relations, scripts,
 * fonts, fractions) and leaves any other command as written, so nothing
 * is ever lost, only sometimes left in TeX. */
#include <ctype.h>
#include <string.h>

#include "tex_html.h"

#define MATH_MAX  400
#define DEPTH_MAX 8

size_t
tex_math_span(const char *s)
{
	size_t d = s[1] == '$' ? 2 : 1;
	const char *body = s + d;
	if (!*body || isspace((unsigned char)*body) || *body == '$')
		return 0;
	for (size_t i = 1; body[i] && i < MATH_MAX; i++) {
		if (body[i] == '\n')
			return 0;
		if (body[i] == '$' && body[i - 1] != '\\') {
			if (isspace((unsigned char)body[i - 1]))
				return 0;
			if (d == 2 && body[i + 1] != '$')
				return 0;
			if (isdigit((unsigned char)body[i + d]))
				return 0;
			return d + i + d;
		}
	}
	return 0;
}

static const struct {
	const char *name, *text;
} symbols[] = {
	{ "alpha", "α" },      { "beta", "β" },       { "gamma", "γ" },     { "delta", "δ" },      { "epsilon", "ε" },
	{ "varepsilon", "ε" }, { "zeta", "ζ" },       { "eta", "η" },       { "theta", "θ" },      { "vartheta", "ϑ" },
	{ "iota", "ι" },       { "kappa", "κ" },      { "lambda", "λ" },    { "mu", "μ" },         { "nu", "ν" },
	{ "xi", "ξ" },         { "pi", "π" },         { "rho", "ρ" },       { "sigma", "σ" },      { "tau", "τ" },
	{ "upsilon", "υ" },    { "phi", "φ" },        { "varphi", "φ" },    { "chi", "χ" },        { "psi", "ψ" },
	{ "omega", "ω" },      { "Gamma", "Γ" },      { "Delta", "Δ" },     { "Theta", "Θ" },      { "Lambda", "Λ" },
	{ "Xi", "Ξ" },         { "Pi", "Π" },         { "Sigma", "Σ" },     { "Phi", "Φ" },        { "Psi", "Ψ" },
	{ "Omega", "Ω" },      { "infty", "∞" },      { "le", "≤" },        { "leq", "≤" },        { "ge", "≥" },
	{ "geq", "≥" },        { "ne", "≠" },         { "neq", "≠" },       { "approx", "≈" },     { "sim", "∼" },
	{ "simeq", "≃" },      { "equiv", "≡" },      { "propto", "∝" },    { "ll", "≪" },         { "gg", "≫" },
	{ "times", "×" },      { "cdot", "·" },       { "pm", "±" },        { "mp", "∓" },         { "div", "÷" },
	{ "to", "→" },         { "rightarrow", "→" }, { "leftarrow", "←" }, { "Rightarrow", "⇒" }, { "Leftarrow", "⇐" },
	{ "mapsto", "↦" },     { "in", "∈" },         { "notin", "∉" },     { "subset", "⊂" },     { "subseteq", "⊆" },
	{ "cup", "∪" },        { "cap", "∩" },        { "emptyset", "∅" },  { "forall", "∀" },     { "exists", "∃" },
	{ "neg", "¬" },        { "wedge", "∧" },      { "vee", "∨" },       { "oplus", "⊕" },      { "otimes", "⊗" },
	{ "sum", "∑" },        { "prod", "∏" },       { "int", "∫" },       { "partial", "∂" },    { "nabla", "∇" },
	{ "sqrt", "√" },       { "ell", "ℓ" },        { "hbar", "ℏ" },      { "circ", "∘" },       { "star", "⋆" },
	{ "perp", "⊥" },       { "top", "⊤" },        { "langle", "⟨" },    { "rangle", "⟩" },     { "ldots", "…" },
	{ "cdots", "⋯" },      { "dots", "…" },       { "mid", "|" },       { "lvert", "|" },      { "rvert", "|" },
	{ "lVert", "‖" },      { "rVert", "‖" },      { "|", "‖" },         { "{", "{" },          { "}", "}" },
	{ "%", "%" },          { "$", "$" },          { "_", "_" },         { "&", "&amp;" },      { ",", " " },
	{ ";", " " },          { ":", " " },          { "!", "" },          { "quad", " " },       { "qquad", " " },
	{ "log", "log" },      { "exp", "exp" },      { "min", "min" },     { "max", "max" },      { "arg", "arg" },
	{ "sin", "sin" },      { "cos", "cos" },      { "lim", "lim" },     { "det", "det" },      { "left", "" },
	{ "right", "" },       { "big", "" },         { "Big", "" },        { "bigl", "" },        { "bigr", "" },
};

/* Commands whose argument is shown as it is (fonts, accents, text). */
static const char *const show_argument[] = { "mathcal",  "mathrm",       "mathbf", "mathit", "mathsf",    "mathtt",
	                                     "mathfrak", "boldsymbol",   "bm",     "text",   "textbf",    "textit",
	                                     "textrm",   "operatorname", "hat",    "tilde",  "widetilde", "widehat",
	                                     "bar",      "overline",     "vec",    "dot",    "ddot",      "underline" };

static const char *const double_struck[] = { "C", "ℂ", "N", "ℕ", "P", "ℙ", "Q", "ℚ", "R", "ℝ", "Z", "ℤ", "E", "𝔼" };

static void
put_char(mbuf *out, char c)
{
	switch (c) {
	case '&': mbuf_puts(out, "&amp;"); break;
	case '<': mbuf_puts(out, "&lt;"); break;
	case '>': mbuf_puts(out, "&gt;"); break;
	case '"': mbuf_puts(out, "&quot;"); break;
	case '\'': mbuf_puts(out, "&#39;"); break;
	default: mbuf_put(out, &c, 1);
	}
}

static void
put_escaped(mbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_char(out, s[i]);
}

/* The length of the argument at s (after spaces): a {group} with its
 * braces, a command, or one character; its content in inner, inner_len. */
static size_t
argument(const char *s, size_t n, const char **inner, size_t *inner_len)
{
	size_t i = 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i == n) {
		*inner = s + i;
		*inner_len = 0;
		return i;
	}
	if (s[i] == '{') {
		size_t depth = 0;
		for (size_t j = i; j < n; j++) {
			depth += s[j] == '{';
			depth -= s[j] == '}' && depth;
			if (s[j] == '}' && depth == 0) {
				*inner = s + i + 1;
				*inner_len = j - i - 1;
				return j + 1;
			}
		}
		*inner = s + i + 1; /* unclosed: the rest */
		*inner_len = n - i - 1;
		return n;
	}
	size_t len = 1;
	if (s[i] == '\\')
		while (i + len < n && isalpha((unsigned char)s[i + len]))
			len++;
	/* A UTF-8 character stays whole. */
	while (i + len < n && ((unsigned char)s[i + len] & 0xC0) == 0x80)
		len++;
	*inner = s + i;
	*inner_len = len;
	return i + len;
}

static void render(mbuf *out, const char *s, size_t n, int depth);

static size_t
command(mbuf *out, const char *s, size_t n, int depth)
{
	size_t len = 1;
	while (len < n && isalpha((unsigned char)s[len]))
		len++;
	if (len == 1 && n > 1)
		len = 2; /* \{ \, \| : one character */
	const char *name = s + 1;
	size_t nlen = len - 1;
	const char *arg, *arg2;
	size_t alen, alen2;
	for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++)
		if (strlen(symbols[i].name) == nlen && memcmp(symbols[i].name, name, nlen) == 0) {
			mbuf_puts(out, symbols[i].text);
			return len;
		}
	if (nlen == 6 && memcmp(name, "mathbb", 6) == 0) {
		size_t used = argument(s + len, n - len, &arg, &alen);
		for (size_t i = 0; alen == 1 && i < sizeof double_struck / sizeof double_struck[0]; i += 2)
			if (*arg == double_struck[i][0]) {
				mbuf_puts(out, double_struck[i + 1]);
				return len + used;
			}
		render(out, arg, alen, depth + 1);
		return len + used;
	}
	if (nlen == 4 && memcmp(name, "frac", 4) == 0) {
		size_t used = argument(s + len, n - len, &arg, &alen);
		used += argument(s + len + used, n - len - used, &arg2, &alen2);
		mbuf_puts(out, alen > 1 ? "(" : "");
		render(out, arg, alen, depth + 1);
		mbuf_puts(out, alen > 1 ? ")/" : "/");
		mbuf_puts(out, alen2 > 1 ? "(" : "");
		render(out, arg2, alen2, depth + 1);
		mbuf_puts(out, alen2 > 1 ? ")" : "");
		return len + used;
	}
	for (size_t i = 0; i < sizeof show_argument / sizeof show_argument[0]; i++)
		if (strlen(show_argument[i]) == nlen && memcmp(show_argument[i], name, nlen) == 0) {
			size_t used = argument(s + len, n - len, &arg, &alen);
			render(out, arg, alen, depth + 1);
			return len + used;
		}
	/* Unknown: left as TeX, apart from what follows ("\\foo{x}" shows as
	 * "\\foo x", not "\\foox"). */
	put_escaped(out, s, len);
	if (len < n && (s[len] == '{' || isalnum((unsigned char)s[len])))
		mbuf_puts(out, " ");
	return len;
}

static void
render(mbuf *out, const char *s, size_t n, int depth)
{
	if (depth > DEPTH_MAX) {
		put_escaped(out, s, n);
		return;
	}
	for (size_t i = 0; i < n;) {
		const char *arg;
		size_t alen;
		if (s[i] == '\\') {
			i += command(out, s + i, n - i, depth);
		} else if (s[i] == '^' || s[i] == '_') {
			const char *tag = s[i] == '^' ? "sup" : "sub";
			i++;
			i += argument(s + i, n - i, &arg, &alen);
			mbuf_printf(out, "<%s>", tag);
			render(out, arg, alen, depth + 1);
			mbuf_printf(out, "</%s>", tag);
		} else if (s[i] == '{' || s[i] == '}') {
			i++;
		} else if (s[i] == '~') {
			mbuf_puts(out, " ");
			i++;
		} else {
			put_char(out, s[i++]);
		}
	}
}

void
tex_put_html(mbuf *out, const char *text)
{
	for (const char *s = text; s && *s;) {
		size_t m = *s == '$' ? tex_math_span(s) : 0;
		if (m) {
			size_t d = s[1] == '$' ? 2 : 1;
			mbuf_puts(out, "<span class=\"math\">");
			render(out, s + d, m - 2 * d, 0);
			mbuf_puts(out, "</span>");
			s += m;
		} else {
			put_char(out, *s++);
		}
	}
}

// SPDX-License-Identifier: MIT
/*
 * The example module's configuration, from loader->options
 * (--libos-options=S or LIBOS_MODULE_OPTIONS): comma-separated items,
 *
 *     hostname=NAME        uname's nodename (1 to 64 bytes)
 *     redirect=/FROM:/TO   absolute paths under /FROM are opened under /TO
 *                          (repeatable, up to EX_REDIRECT_MAX; the longest
 *                          matching FROM wins)
 *
 * Anything else is refused: a typo must not silently run the program
 * unconfigured.
 */
#include <errno.h>

#include "example.h"

static int is(const char *item, size_t len, const char *key)
{
	size_t n = strlen(key);

	return len > n && item[n] == '=' && memcmp(item, key, n) == 0;
}

/* An absolute path of up to size - 1 bytes, trailing slashes dropped ("/"
 * becomes ""). */
static int absolute_path(char *dst, size_t size, size_t *dst_len, const char *s, size_t len)
{
	if (len == 0 || s[0] != '/' || len >= size)
		return -EINVAL;
	while (len > 0 && s[len - 1] == '/')
		len--;
	memcpy(dst, s, len);
	dst[len] = '\0';
	*dst_len = len;
	return 0;
}

static int redirect(struct ex_config *c, const char *v, size_t len, const char **why)
{
	const char *colon = NULL;
	struct ex_redirect *r = &c->redirect[c->redirect_count];

	for (size_t i = 0; i < len && !colon; i++)
		if (v[i] == ':')
			colon = v + i;
	if (c->redirect_count == EX_REDIRECT_MAX) {
		*why = "too many redirect items";
		return -EINVAL;
	}
	if (!colon ||
	    absolute_path(r->from, sizeof(r->from), &r->from_len, v, (size_t)(colon - v)) < 0 ||
	    absolute_path(r->to, sizeof(r->to), &r->to_len, colon + 1,
			  len - (size_t)(colon - v) - 1) < 0) {
		*why = "expected redirect=/FROM:/TO, two absolute paths of under 256 bytes";
		return -EINVAL;
	}
	if (r->from_len == 0) {
		*why = "redirecting / would redirect every path";
		return -EINVAL;
	}
	c->redirect_count++;
	return 0;
}

int ex_options_parse(const char *s, struct ex_config *c, const char **bad, size_t *bad_len,
		     const char **why)
{
	memset(c, 0, sizeof(*c));
	while (*s) {
		size_t len = 0;
		while (s[len] && s[len] != ',')
			len++;
		*bad = s;
		*bad_len = len;
		if (is(s, len, "hostname")) {
			size_t n = len - 9;
			if (n >= EX_HOSTNAME_SIZE) {
				*why = "a hostname has at most 64 bytes";
				return -EINVAL;
			}
			memcpy(c->hostname, s + 9, n);
			c->hostname[n] = '\0';
		} else if (is(s, len, "redirect")) {
			if (redirect(c, s + 9, len - 9, why) < 0)
				return -EINVAL;
		} else if (len > 0) {
			*why = "unknown item (expected hostname=NAME or redirect=/FROM:/TO)";
			return -EINVAL;
		}
		s += len + (s[len] == ',');
	}
	return 0;
}

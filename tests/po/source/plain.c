/* plain.c — fixture for tests/unit/test-po.c (never compiled). Strings for people are
 * marked with _() in other files; this one has none. */
static int
plain (void)
{
  return '_' + '(';
}

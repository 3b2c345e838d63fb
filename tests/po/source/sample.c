/* sample.c — fixture for tests/unit/test-po.c (never compiled) */
static void
sample (unsigned n)
{
  show (_("Good morning"));
  show (_("Good evening"));
  show (_("See you"));
  show_printf (_("%s is here"), name);
  show (C_("greeting", "Welcome"));
  show_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", n), n);
}

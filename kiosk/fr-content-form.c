/* fr-content-form.c — form.json: the intake form's questions
 *
 * The shipped form.json is required; a site's replaces it whole (what it drops, adds and
 * changes is reported). Parsing is strict: no unknown or duplicate members, ids checked,
 * every show-if pointing at an earlier question and its values at that question's options.
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "fr-content-private.h"

#define FORM_FORMAT         "fristad.form.v1"
#define SHORT_TEXT_DEFAULT  100

static const char *const kind_names[] = {
  [FR_QUESTION_SINGLE] = "single",
  [FR_QUESTION_MULTIPLE] = "multiple",
  [FR_QUESTION_YESNO] = "yesno",
  [FR_QUESTION_PHONE] = "phone",
  [FR_QUESTION_SHORT_TEXT] = "short-text",
  [FR_QUESTION_LONG_TEXT] = "long-text",
  [FR_QUESTION_VOICE] = "voice",
};

static const char *const yesno_options[] = { FR_YESNO_YES, FR_YESNO_NO, FR_YESNO_PREFER_NOT, NULL };

const char *
fr_question_kind_to_string (FrQuestionKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

static gboolean
kind_from_string (const char     *str,
                  FrQuestionKind *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (kind_names[i], str) == 0)
      {
        *out = (FrQuestionKind) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
kind_has_options (FrQuestionKind kind)
{
  return kind == FR_QUESTION_SINGLE || kind == FR_QUESTION_MULTIPLE || kind == FR_QUESTION_YESNO;
}

/* ------------------------------------------------------------------------------------ */
/* form.json                                                                            */

/* json-glib keeps the last of duplicate members; count them while parsing instead. */
typedef struct
{
  GHashTable *counts;   /* JsonObject * → members seen */
  gboolean    duplicate;
} DupCheck;

static void
on_object_member (JsonParser *parser,
                  JsonObject *object,
                  const char *member_name,
                  gpointer    user_data)
{
  DupCheck *check = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (check->counts, object)) + 1;

  g_hash_table_insert (check->counts, object, GUINT_TO_POINTER (n));
  if (json_object_get_size (object) != n)
    check->duplicate = TRUE;
}

static gboolean
check_members (JsonObject        *object,
               const char        *path,
               const char        *where,
               const char *const *allowed,
               GError           **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!_fr_content_strv_has (allowed, l->data))
      return _fr_content_error (error, "%s: %s: unknown member \"%s\"", path, where, (char *) l->data);
  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* An array of distinct ids; NULL and an error otherwise. */
static GStrv
id_array (JsonNode   *node,
          const char *path,
          const char *where,
          guint       min,
          guint       max,
          GError    **error)
{
  JsonArray *array;
  guint n;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return _fr_content_error (error, "%s: %s must be an array", path, where), NULL;
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n < min || n > max)
    return _fr_content_error (error, "%s: %s must have %u to %u items", path, where, min, max), NULL;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *id;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING
          || !_fr_content_is_id (id = json_node_get_string (item)))
        return _fr_content_error (error, "%s: %s: item %u must be an id (1..%d of a-z, 0-9, _ and -)",
                                  path, where, i + 1, ID_MAX_LEN), NULL;
      if (!g_hash_table_add (seen, (gpointer) id))
        return _fr_content_error (error, "%s: %s: \"%s\" appears twice", path, where, id), NULL;
      g_strv_builder_add (builder, id);
    }
  return g_strv_builder_end (builder);
}

const QuestionDef *
_fr_content_find_def (GPtrArray  *defs,
                      const char *id)
{
  for (guint i = 0; i < defs->len; i++)
    {
      const QuestionDef *def = g_ptr_array_index (defs, i);

      if (strcmp (def->id, id) == 0)
        return def;
    }
  return NULL;
}

static QuestionDef *
parse_question (JsonNode   *node,
                guint       index,
                GPtrArray  *earlier,
                const char *path,
                GError    **error)
{
  static const char *const allowed[] = {
    "id", "kind", "options", "optional", "show-if", "max-length", "group", "volunteer-hide", NULL,
  };
  static const char *const show_if_allowed[] = { "question", "values", NULL };
  g_autoptr(QuestionDef) def = g_new0 (QuestionDef, 1);
  g_autofree char *where = g_strdup_printf ("question %u", index + 1);
  JsonObject *object;
  JsonNode *member;
  const char *id, *kind, *group;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _fr_content_error (error, "%s: %s must be an object", path, where), NULL;
  object = json_node_get_object (node);

  id = member_string (object, "id");
  if (id == NULL || !_fr_content_is_id (id))
    return _fr_content_error (error, "%s: %s: \"id\" must be 1..%d of a-z, 0-9, _ and -", path, where,
                              ID_MAX_LEN), NULL;
  def->id = g_strdup (id);
  g_free (where);
  where = g_strdup_printf ("question %s", id);
  if (_fr_content_find_def (earlier, id) != NULL)
    return _fr_content_error (error, "%s: %s appears twice", path, where), NULL;
  if (!check_members (object, path, where, allowed, error))
    return NULL;

  kind = member_string (object, "kind");
  if (kind == NULL)
    return _fr_content_error (error, "%s: %s: \"kind\" is missing", path, where), NULL;
  if (!kind_from_string (kind, &def->kind))
    return _fr_content_error (error, "%s: %s: unknown kind \"%s\" (single, multiple, yesno, phone, "
                              "short-text, long-text, voice)", path, where, kind), NULL;

  group = member_string (object, "group");
  if (group == NULL || !_fr_content_is_id (group))
    return _fr_content_error (error, "%s: %s: \"group\" must be an id", path, where), NULL;
  def->group = g_strdup (group);

  member = json_object_get_member (object, "optional");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        return _fr_content_error (error, "%s: %s: \"optional\" must be true or false", path, where), NULL;
      def->optional = json_node_get_boolean (member);
    }

  member = json_object_get_member (object, "options");
  if (def->kind == FR_QUESTION_SINGLE || def->kind == FR_QUESTION_MULTIPLE)
    {
      g_autofree char *options_where = g_strconcat (where, ": \"options\"", NULL);

      if (member == NULL)
        return _fr_content_error (error, "%s: %s: a %s question needs \"options\"", path, where, kind), NULL;
      def->options = id_array (member, path, options_where, 2, FR_CONTENT_MAX_OPTIONS, error);
      if (def->options == NULL)
        return NULL;
    }
  else if (member != NULL)
    return _fr_content_error (error, "%s: %s: a %s question has no \"options\"", path, where, kind), NULL;
  else if (def->kind == FR_QUESTION_YESNO)
    def->options = g_strdupv ((char **) yesno_options);

  /* Options that do not fit when a volunteer takes the intake (assisted, hotline). */
  member = json_object_get_member (object, "volunteer-hide");
  if (member != NULL)
    {
      g_autofree char *hide_where = g_strconcat (where, ": \"volunteer-hide\"", NULL);

      if (def->kind != FR_QUESTION_SINGLE && def->kind != FR_QUESTION_MULTIPLE)
        return _fr_content_error (error, "%s: %s: only single and multiple questions have \"volunteer-hide\"", path,
                                  where), NULL;
      def->volunteer_hide = id_array (member, path, hide_where, 1, FR_CONTENT_MAX_OPTIONS, error);
      if (def->volunteer_hide == NULL)
        return NULL;
      for (guint i = 0; def->volunteer_hide[i] != NULL; i++)
        if (!_fr_content_strv_has ((const char *const *) def->options, def->volunteer_hide[i]))
          return _fr_content_error (error, "%s: %s: \"volunteer-hide\" value \"%s\" is not an option", path, where,
                                    def->volunteer_hide[i]), NULL;
      if (g_strv_length (def->options) - g_strv_length (def->volunteer_hide) < 2)
        return _fr_content_error (error, "%s: %s: \"volunteer-hide\" must leave at least two options", path, where), NULL;
    }
  else
    def->volunteer_hide = g_new0 (char *, 1);

  member = json_object_get_member (object, "max-length");
  if (def->kind == FR_QUESTION_SHORT_TEXT || def->kind == FR_QUESTION_LONG_TEXT)
    {
      def->max_length = def->kind == FR_QUESTION_SHORT_TEXT ? SHORT_TEXT_DEFAULT
                                                            : FR_CONTENT_MAX_TEXT_LENGTH;
      if (member != NULL)
        {
          gint64 value;

          if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64
              || (value = json_node_get_int (member)) < 1 || value > FR_CONTENT_MAX_TEXT_LENGTH)
            return _fr_content_error (error, "%s: %s: \"max-length\" must be a whole number from 1 to %d",
                                      path, where, FR_CONTENT_MAX_TEXT_LENGTH), NULL;
          def->max_length = (guint) value;
        }
    }
  else if (member != NULL)
    return _fr_content_error (error, "%s: %s: only text questions have \"max-length\"", path, where), NULL;
  else if (def->kind == FR_QUESTION_PHONE)
    def->max_length = FR_CONTENT_PHONE_MAX_LENGTH;

  member = json_object_get_member (object, "show-if");
  def->show_if_values = g_new0 (char *, 1);
  if (member != NULL)
    {
      JsonObject *show_if;
      const char *target_id;
      const QuestionDef *target;
      JsonNode *values;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return _fr_content_error (error, "%s: %s: \"show-if\" must be an object", path, where), NULL;
      show_if = json_node_get_object (member);
      if (!check_members (show_if, path, where, show_if_allowed, error))
        return NULL;
      target_id = member_string (show_if, "question");
      if (target_id == NULL)
        return _fr_content_error (error, "%s: %s: \"show-if\" needs \"question\"", path, where), NULL;
      target = _fr_content_find_def (earlier, target_id);
      if (target == NULL)
        {
          if (strcmp (target_id, id) == 0)
            return _fr_content_error (error, "%s: %s: \"show-if\" refers to itself", path, where), NULL;
          return _fr_content_error (error, "%s: %s: \"show-if\" refers to unknown question \"%s\" "
                                    "(it must come earlier in the form)", path, where, target_id), NULL;
        }
      def->show_if_question = g_strdup (target_id);
      values = json_object_get_member (show_if, "values");
      if (values != NULL)
        {
          g_autofree char *values_where = g_strconcat (where, ": \"show-if\" \"values\"", NULL);

          g_strfreev (def->show_if_values);
          def->show_if_values = id_array (values, path, values_where, 1, FR_CONTENT_MAX_OPTIONS, error);
          if (def->show_if_values == NULL)
            return NULL;
          if (!kind_has_options (target->kind))
            return _fr_content_error (error, "%s: %s: \"show-if\" \"values\" need a choice question, "
                                      "and %s is %s", path, where, target->id,
                                      kind_names[target->kind]), NULL;
          for (guint i = 0; def->show_if_values[i] != NULL; i++)
            if (!_fr_content_strv_has ((const char *const *) target->options, def->show_if_values[i]))
              return _fr_content_error (error, "%s: %s: \"show-if\" value \"%s\" is not an option of %s",
                                        path, where, def->show_if_values[i], target->id), NULL;
        }
    }
  return g_steal_pointer (&def);
}

static GPtrArray *
load_form (const char *path,
           gboolean    required,
           GError    **error)
{
  static const char *const allowed[] = { "format", "questions", NULL };
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) defs = NULL;
  DupCheck check;
  JsonNode *root;
  JsonObject *object;
  JsonNode *questions;
  const char *format;
  guint n;

  if (!_fr_content_read_text_file (path, required, &data, &len, error) || data == NULL)
    return NULL;

  counts = g_hash_table_new (NULL, NULL);
  check.counts = counts;
  check.duplicate = FALSE;
  parser = json_parser_new ();
  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &check);
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    return _fr_content_error (error, "%s: not valid JSON: %s", path, local_error->message), NULL;
  if (check.duplicate)
    return _fr_content_error (error, "%s: an object has the same member twice", path), NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return _fr_content_error (error, "%s: must be a JSON object", path), NULL;
  object = json_node_get_object (root);
  if (!check_members (object, path, "top level", allowed, error))
    return NULL;
  format = member_string (object, "format");
  if (g_strcmp0 (format, FORM_FORMAT) != 0)
    return _fr_content_error (error, "%s: \"format\" must be \"%s\"", path, FORM_FORMAT), NULL;
  questions = json_object_get_member (object, "questions");
  if (questions == NULL || !JSON_NODE_HOLDS_ARRAY (questions))
    return _fr_content_error (error, "%s: \"questions\" must be an array", path), NULL;
  n = json_array_get_length (json_node_get_array (questions));
  if (n < 1 || n > FR_CONTENT_MAX_QUESTIONS)
    return _fr_content_error (error, "%s: the form must have 1 to %d questions", path,
                              FR_CONTENT_MAX_QUESTIONS), NULL;

  defs = g_ptr_array_new_with_free_func (_fr_content_question_def_free);
  for (guint i = 0; i < n; i++)
    {
      QuestionDef *def = parse_question (json_array_get_element (json_node_get_array (questions), i),
                                         i, defs, path, error);

      if (def == NULL)
        return NULL;
      g_ptr_array_add (defs, def);
    }
  return g_steal_pointer (&defs);
}

static gboolean
defs_equal (const QuestionDef *a,
            const QuestionDef *b)
{
  if (a->kind != b->kind || a->optional != b->optional || a->max_length != b->max_length
      || g_strcmp0 (a->group, b->group) != 0 || g_strcmp0 (a->show_if_question, b->show_if_question) != 0)
    return FALSE;
  if (!g_strv_equal ((const char *const *) a->show_if_values, (const char *const *) b->show_if_values))
    return FALSE;
  if ((a->options == NULL) != (b->options == NULL))
    return FALSE;
  return a->options == NULL
         || g_strv_equal ((const char *const *) a->options, (const char *const *) b->options);
}

gboolean
_fr_content_load_forms (Loader  *ld,
                        GError **error)
{
  FrContent *content = ld->content;
  g_autofree char *shipped_path = g_build_filename (ld->shipped_dir, "form.json", NULL);
  g_autofree char *site_path = NULL;
  GError *local_error = NULL;
  GHashTableIter iter;
  gpointer key;

  content->shipped_form = load_form (shipped_path, TRUE, error);
  if (content->shipped_form == NULL)
    return FALSE;

  if (ld->site_dir != NULL)
    {
      site_path = g_build_filename (ld->site_dir, "form.json", NULL);
      content->form = load_form (site_path, FALSE, &local_error);
      if (local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
    }

  if (content->form == NULL)
    content->form = g_ptr_array_ref (content->shipped_form);
  else
    {
      g_autoptr(GString) dropped = g_string_new (NULL);
      g_autoptr(GString) added = g_string_new (NULL);
      g_autoptr(GString) changed = g_string_new (NULL);
      gboolean reordered = FALSE;
      guint last_index = 0;

      for (guint i = 0; i < content->shipped_form->len; i++)
        {
          const QuestionDef *def = g_ptr_array_index (content->shipped_form, i);

          if (_fr_content_find_def (content->form, def->id) == NULL)
            g_string_append_printf (dropped, "%s%s", dropped->len > 0 ? ", " : "", def->id);
        }
      for (guint i = 0; i < content->form->len; i++)
        {
          const QuestionDef *def = g_ptr_array_index (content->form, i);
          const QuestionDef *shipped = _fr_content_find_def (content->shipped_form, def->id);
          guint index;

          if (shipped == NULL)
            {
              g_string_append_printf (added, "%s%s", added->len > 0 ? ", " : "", def->id);
              continue;
            }
          if (!defs_equal (def, shipped))
            g_string_append_printf (changed, "%s%s", changed->len > 0 ? ", " : "", def->id);
          g_ptr_array_find (content->shipped_form, shipped, &index);
          if (index < last_index)
            reordered = TRUE;
          last_index = index;
        }
      _fr_content_report (content, "override: form.json replaces the shipped form: %u questions; dropped: %s; "
                          "added: %s; changed: %s%s", content->form->len,
                          dropped->len > 0 ? dropped->str : "none", added->len > 0 ? added->str : "none",
                          changed->len > 0 ? changed->str : "none", reordered ? "; order changed" : "");
    }

  /* Groups in order of first use. */
  for (guint i = 0; i < content->form->len; i++)
    {
      const QuestionDef *def = g_ptr_array_index (content->form, i);

      if (!g_ptr_array_find_with_equal_func (content->groups, def->group, g_str_equal, NULL))
        g_ptr_array_add (content->groups, g_strdup (def->group));
    }

  g_hash_table_iter_init (&iter, content->disabled_groups);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (!g_ptr_array_find_with_equal_func (content->groups, key, g_str_equal, NULL))
        return _fr_content_error (error, "%s: [content]: disable-groups: the form has no group %s",
                                  ld->site_meta_path, (char *) key);
      _fr_content_report (content, "override: question group %s is turned off", (char *) key);
    }

  /* A shown question must not depend on one that is turned off. */
  for (guint i = 0; i < content->form->len; i++)
    {
      const QuestionDef *def = g_ptr_array_index (content->form, i);
      const QuestionDef *target;

      if (def->show_if_question == NULL || g_hash_table_contains (content->disabled_groups, def->group))
        continue;
      target = _fr_content_find_def (content->form, def->show_if_question);
      if (g_hash_table_contains (content->disabled_groups, target->group))
        return _fr_content_error (error, "%s: [content]: disable-groups: question %s depends on %s, "
                                  "which is turned off", ld->site_meta_path, def->id, target->id);
    }
  return TRUE;
}

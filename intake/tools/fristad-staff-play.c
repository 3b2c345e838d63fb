/* fristad-staff play — a record's voice message, played straight from decrypted memory
 *
 * The record is found and opened as `open` does it (roster or --kiosk); its voice
 * attachment goes into an FrVoicePlayer (audio/), which keeps its packets in guarded
 * memory and decodes into guarded memory; the rest of the record is wiped before a sound
 * is made. Nothing is written to disk. The length and then the progress go to stderr;
 * Ctrl+C (or SIGTERM, SIGHUP) stops it and wipes what was decoded.
 *
 * Exit status: 0 played to the end; 1 an operational failure (no such record file, no
 * audio device, a GStreamer element missing); 2 bad usage or bad input (wrong passphrase,
 * not from a kiosk in the roster, a broken envelope, a voice message that is not Ogg
 * Opus); 3 the record has no voice message; 128 + N stopped by signal N (130: Ctrl+C).
 */
#define G_LOG_DOMAIN "fristad-staff"

#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fr-voice-player.h"
#include "fristad-staff-private.h"

#define TICK_MS 250

typedef struct
{
  FrVoicePlayer *player;
  GMainLoop     *loop;
  gboolean       tty;
  guint64        shown_second;   /* not a terminal: the last whole second printed */
  int            status;
} Play;

/* 63500 → "1:03.5" */
static char *
format_time (guint64 ms)
{
  return g_strdup_printf ("%u:%02u.%u", (guint) (ms / 60000), (guint) (ms / 1000 % 60), (guint) (ms / 100 % 10));
}

static void
show_progress (Play     *play,
               gboolean  last)
{
  guint64 position = fr_voice_player_get_position (play->player);
  g_autofree char *at = format_time (position);
  g_autofree char *total = format_time (fr_voice_player_get_duration (play->player));

  if (play->tty)
    {
      /* One line, rewritten in place. */
      fprintf (stderr, "\r  %s / %s ", at, total);
      if (last)
        fputc ('\n', stderr);
      fflush (stderr);
    }
  else if (last || position / 1000 != play->shown_second)
    {
      play->shown_second = position / 1000;
      fprintf (stderr, "  %s / %s\n", at, total);
    }
}

static gboolean
on_tick (gpointer data)
{
  Play *play = data;

  if (fr_voice_player_get_state (play->player) == FR_VOICE_PLAYER_PLAYING)
    show_progress (play, FALSE);
  return G_SOURCE_CONTINUE;
}

static void
on_state_changed (FrVoicePlayer *player,
                  Play          *play)
{
  switch (fr_voice_player_get_state (player))
    {
    case FR_VOICE_PLAYER_FINISHED:
      {
        g_autofree char *at = NULL;

        show_progress (play, TRUE);
        at = format_time (fr_voice_player_get_position (player));
        fprintf (stderr, "played to the end (%s)\n", at);
        play->status = EXIT_OK;
        g_main_loop_quit (play->loop);
      }
      break;
    case FR_VOICE_PLAYER_FAILED:
      if (play->tty)
        fputc ('\n', stderr);
      _staff_printerr ("play", "cannot play the voice message: %s", fr_voice_player_get_error (player)->message);
      play->status = EXIT_FAILURE_OPERATIONAL;
      g_main_loop_quit (play->loop);
      break;
    default:
      break;
    }
}

typedef struct
{
  Play *play;
  int   signum;
} Stop;

static gboolean
on_signal (gpointer data)
{
  Stop *stop = data;
  g_autofree char *at = format_time (fr_voice_player_get_position (stop->play->player));

  /* Take the pipeline down first: the decoded audio is wiped when this returns. */
  fr_voice_player_stop (stop->play->player);
  fprintf (stderr, "%sstopped at %s\n", stop->play->tty ? "\n" : "", at);
  stop->play->status = EXIT_SIGNAL_BASE + stop->signum;
  g_main_loop_quit (stop->play->loop);
  return G_SOURCE_CONTINUE;
}

/* The first attachment of kind "voice": its index, or -1; @count says how many there are
 * (the kiosk attaches one; the record format allows up to FR_RECORD_MAX_ATTACHMENTS). */
static int
find_voice (const FrOpenedEnvelope *opened,
            guint                  *count)
{
  int first = -1;

  *count = 0;
  for (guint i = 0; i < opened->n_attachments; i++)
    if (g_str_equal (fr_record_get_attachment (opened->record, i)->kind, "voice"))
      {
        if (first < 0)
          first = (int) i;
        (*count)++;
      }
  return first;
}

int
_staff_cmd_play (int    argc,
                 char **argv)
{
  g_auto(StaffRecordArgs) args = { 0 };
  GOptionEntry entries[] = {
    RECORD_OPTIONS (args),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  g_autoptr(FrVoicePlayer) player = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *receipt = NULL, *total = NULL;
  const FrAttachmentInfo *info;
  Play play = { 0 };
  Stop stops[] = { { &play, SIGINT }, { &play, SIGTERM }, { &play, SIGHUP } };
  guint sources[G_N_ELEMENTS (stops) + 1];
  int status = EXIT_OK;
  guint n_voices = 0;
  int voice;

  if (!_staff_parse_options ("play", "ID|FILE — play a record's voice message", entries, &argc, &argv, &status))
    return status;
  if ((status = _staff_record_args_check ("play", &args, argc)) != EXIT_OK)
    return status;

  opened = _staff_open_record ("play", argv[1], &args, &status);
  if (opened == NULL)
    return status;
  voice = find_voice (opened, &n_voices);
  if (voice < 0)
    {
      _staff_printerr ("play", "record %s has no voice message", fr_record_get_id_string (opened->record));
      return EXIT_NO_VOICE;
    }
  if (n_voices > 1)
    fprintf (stderr, "record %s has %u voice messages: playing the first (open --out DIR writes them all)\n",
             fr_record_get_id_string (opened->record), n_voices);
  info = fr_record_get_attachment (opened->record, voice);
  if (g_ascii_strncasecmp (info->mime, "audio/ogg", strlen ("audio/ogg")) != 0)
    {
      _staff_printerr ("play", "the voice message of record %s is declared %s, not Ogg Opus",
                       fr_record_get_id_string (opened->record), info->mime);
      return EXIT_BAD_INPUT;
    }
  player = fr_voice_player_new (opened->attachments[voice]->data, opened->attachments[voice]->len, &error);
  if (player == NULL)
    {
      g_prefix_error (&error, "record %s: ", fr_record_get_id_string (opened->record));
      return _staff_report ("play", error);
    }
  /* The player has its own copy: the record and its attachments are wiped now. */
  receipt = g_strdup (fr_record_get_receipt (opened->record));
  g_clear_pointer (&opened, fr_opened_envelope_free);

  loop = g_main_loop_new (NULL, FALSE);
  play.player = player;
  play.loop = loop;
  play.tty = isatty (STDERR_FILENO);
  play.status = EXIT_FAILURE_OPERATIONAL;
  g_signal_connect (player, "state-changed", G_CALLBACK (on_state_changed), &play);
  for (guint i = 0; i < G_N_ELEMENTS (stops); i++)
    sources[i] = g_unix_signal_add (stops[i].signum, on_signal, &stops[i]);
  sources[G_N_ELEMENTS (stops)] = g_timeout_add (TICK_MS, on_tick, &play);

  total = format_time (fr_voice_player_get_duration (player));
  fprintf (stderr, "voice message of record %s: %s (%" G_GUINT64_FORMAT " ms)%s\n", receipt, total,
           fr_voice_player_get_duration (player), play.tty ? "; Ctrl+C stops" : "");
  fr_voice_player_play (player);
  if (fr_voice_player_get_state (player) == FR_VOICE_PLAYER_PLAYING)
    g_main_loop_run (loop);

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    g_source_remove (sources[i]);
  g_signal_handlers_disconnect_by_data (player, &play);
  fr_voice_player_stop (player);
  return play.status;
}

#!/usr/bin/python3
# make-pinyin-table.py — writes i18n/content/keyboards/zh.pinyin, the on-screen keyboard's
# pinyin → characters table (kiosk/KIOSK.md, "Chinese: pinyin with a candidate bar"),
# from the Unicode Han Database (Unihan) that Debian's unicode-data package ships:
#
#   apt-get install unicode-data
#   i18n/tools/make-pinyin-table.py [/usr/share/unicode] > i18n/content/keyboards/zh.pinyin
#
# Which characters: the 8,105 of the Table of General Standard Chinese Characters
# (通用规范汉字表, 2013; Unihan's kTGHZ2013), the simplified characters in use in the PRC
# today, each under every reading it has there and in kHanyuPinlu. A reading loses its
# tone (the keyboard types none) and writes ü as v (lü → lv), as pinyin keyboards do;
# readings that are not plain letters then (ê, hm, ng…) are left out.
#
# Order under a syllable, most likely first:
#   1. how often the character is read so in the Xiandai Hanyu Pinlu Cidian (现代汉语频率
#      词典) counts, kHanyuPinlu (3,800 characters), all tones of the syllable added up;
#   2. then kFrequency (1 = most frequent … 5; from a count of Chinese newsgroups);
#   3. then kGradeLevel (the school grade it is taught in, Hong Kong);
#   4. then the code point.
# Nothing is learned at run time: the order is this file's, the same for everyone.
import bz2
import os
import sys
import unicodedata

HEADER = """\
# The on-screen keyboard's pinyin table: one line a syllable (a-z, ü written v, no tone),
# one space, then the characters typed by it, most likely first. Read strictly by
# kiosk/fr-pinyin.c; format in kiosk/fr-pinyin.h. Made by i18n/tools/make-pinyin-table.py
# from Unihan {version} (kTGHZ2013, kHanyuPinlu, kFrequency, kGradeLevel); do not edit by
# hand. Modified from the Unicode data files: only these fields, tones removed, reordered.
#
# Copyright © 1991-2022 Unicode, Inc. All rights reserved. Distributed under the Terms of
# Use in https://www.unicode.org/copyright.html. Permission is hereby granted, free of
# charge, to any person obtaining a copy of the Unicode data files and any associated
# documentation (the "Data Files") or Unicode software and any associated documentation
# (the "Software") to deal in the Data Files or Software without restriction, including
# without limitation the rights to use, copy, modify, merge, publish, distribute, and/or
# sell copies of the Data Files or Software, and to permit persons to whom the Data Files
# or Software are furnished to do so, provided that either (a) this copyright and
# permission notice appear with all copies of the Data Files or Software, or (b) this
# copyright and permission notice appear in associated Documentation. THE DATA FILES AND
# SOFTWARE ARE PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED. The full
# notice: packaging/debian/copyright.
"""


def records(directory, name):
    with bz2.open(os.path.join(directory, name), "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, field, value = line.rstrip("\n").split("\t", 2)
            yield chr(int(code[2:], 16)), field, value


def toneless(reading):
    """nǚ → nv, hǎo → hao; None for what the keyboard cannot type."""
    letters = []
    for c in unicodedata.normalize("NFD", reading.lower()):
        if c == "\u0308":
            if not letters or letters[-1] != "u":
                return None
            letters[-1] = "v"
        elif unicodedata.combining(c):
            continue
        else:
            letters.append(c)
    syllable = "".join(letters)
    if not syllable.isascii() or not syllable.isalpha() or len(syllable) > 6:
        return None
    return syllable


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"
    readings = {}     # char -> set of syllables
    pinlu = {}        # (char, syllable) -> count
    frequency = {}
    grade = {}
    version = "?"

    with bz2.open(os.path.join(directory, "Unihan_Readings.txt.bz2"), "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("# Unicode version:"):
                version = line.split(":", 1)[1].strip()
                break

    for char, field, value in records(directory, "Unihan_Readings.txt.bz2"):
        if field == "kTGHZ2013":
            for item in value.split():
                syllable = toneless(item.split(":", 1)[1])
                if syllable:
                    readings.setdefault(char, set()).add(syllable)
        elif field == "kHanyuPinlu":
            for item in value.split():
                reading, count = item.rstrip(")").split("(")
                syllable = toneless(reading)
                if syllable:
                    pinlu[(char, syllable)] = pinlu.get((char, syllable), 0) + int(count)
    for char, field, value in records(directory, "Unihan_DictionaryLikeData.txt.bz2"):
        if field == "kFrequency":
            frequency[char] = int(value)
        elif field == "kGradeLevel":
            grade[char] = int(value)

    by_syllable = {}
    for (char, syllable) in pinlu:
        if char in readings:
            readings[char].add(syllable)
    for char, syllables in readings.items():
        for syllable in syllables:
            by_syllable.setdefault(syllable, []).append(char)

    sys.stdout.write(HEADER.format(version=version))
    for syllable in sorted(by_syllable):
        chars = sorted(by_syllable[syllable],
                       key=lambda c: (-pinlu.get((c, syllable), 0), frequency.get(c, 6), grade.get(c, 7), ord(c)))
        sys.stdout.write(syllable + " " + "".join(chars) + "\n")


if __name__ == "__main__":
    main()

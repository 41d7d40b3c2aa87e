// The text of a requirements file from its bytes, as pip's auto_decode finds the encoding
// (pip/_internal/utils/encoding.py): a byte order mark names it and is dropped.
#pragma once

#include <string>

namespace thoth {

// UTF-8 text for the bytes of the requirements file `path`: UTF-16 and UTF-32 (either byte order, as
// PowerShell's `>` and Notepad write them) are recognised by their byte order mark and converted; a
// UTF-8 mark is dropped; anything else is taken as UTF-8. UTF-32 marks are checked before UTF-16 ones
// (FF FE 00 00 starts both; pip tests UTF-16 first and so misreads UTF-32-LE files). Throws InputError
// naming the file for bytes that are not the text the mark announces.
//
// Without a mark, and when `coding_line` is set (pip honours one in files it opens by path, not in
// those it fetches by URL), a PEP 263 coding line among the first two lines ("# -*- coding: latin-1
// -*-") names the encoding: UTF-8, ASCII, Latin-1, ISO-8859-15 and Windows-1252 under any name Python
// gives them are read; another encoding, or a byte the named one does not define, throws InputError.
std::string decode_requirements_text(std::string bytes, const std::string& path, bool coding_line);

}  // namespace thoth

"""A file chooser with a visible label and button, that reads a re-picked file again.

ipyvuetify's `FileInput` draws Vuetify's file field: a paperclip and an empty line, without
the label it is given, so a principal does not see what to choose. And a browser fires no
``change`` event when the same path is chosen a second time, so a corrected file saved under the
same name was silently ignored and the old error stayed.

`SchoolFilePicker` keeps `FileInput`'s Python side (``file_info``, ``get_files()``, the chunked
reading) and replaces only the page side: a label, a button that opens the browser's chooser,
the names of the files last chosen, and a hidden ``<input type="file">`` whose value is emptied
after every pick, so choosing the same path again is a new pick. Each pick carries a counter,
so even an identical file list is a change the server sees.
"""

from __future__ import annotations

import traitlets
from ipyvuetify.extra import FileInput

_TEMPLATE = """
<template>
  <div class="is-file-picker">
    <div class="is-file-picker-label">{{ label }}</div>
    <input ref="input" type="file" :multiple="multiple" :accept="accept"
           :disabled="disabled" style="display: none" @change="picked" />
    <div style="display: flex; flex-wrap: wrap; align-items: center; gap: 10px">
      <v-btn color="primary" depressed :disabled="disabled" @click="$refs.input.click()">
        <v-icon left>mdi-upload</v-icon>{{ button }}
      </v-btn>
      <span class="is-file-picker-names">{{ chosen }}</span>
    </div>
  </div>
</template>

<script>
module.exports = {
  created() {
    this.piece = 1024 * 1024;
    this.native_files = [];
  },
  methods: {
    picked(event) {
      const files = Array.from(event.target.files || []);
      // The browser keeps the chosen path in the input: empty it, so choosing the same
      // path again (a corrected file) fires another change event.
      event.target.value = "";
      if (!files.length) {
        return;
      }
      this.native_files = files;
      this.picks = this.picks + 1;
      this.chosen = files.map((f) => f.name).join(", ");
      this.file_info = files.map((f, k) => ({
        name: f.name, size: f.size, lastModified: f.lastModified, type: f.type,
        pick: this.picks,
      }));
    },
    jupyter_clear() {
      this.native_files = [];
      this.chosen = "";
      this.file_info = [];
    },
    jupyter_read(request) {
      // The server asks for a byte range of one file; answer it in pieces of at most 1 MB.
      const file = this.native_files[request.file_index];
      const stop = request.offset + request.length;
      (async () => {
        for (let start = request.offset; start < stop; start += this.piece) {
          const end = Math.min(start + this.piece, stop);
          const bytes = await file.slice(start, end).arrayBuffer();
          this.upload({id: request.id, file_index: request.file_index, offset: start,
                       length: end - start}, [bytes]);
        }
      })();
    },
  },
};
</script>
"""


class SchoolFilePicker(FileInput):
    """`FileInput` with a label, a button and re-picking; see the module docstring."""

    template = traitlets.Unicode(_TEMPLATE).tag(sync=True)
    data = traitlets.Unicode("{chosen: ''}").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    button = traitlets.Unicode("Choose files").tag(sync=True)
    picks = traitlets.Int(0).tag(sync=True)

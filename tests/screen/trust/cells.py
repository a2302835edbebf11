#!/usr/bin/env python3
"""Print the look of one cell of a coloured tmux capture (capture-pane -pe).

usage: cells.py FILE ROW TEXT [FROM]
Finds TEXT on ROW (1-based) of FILE (at or after column FROM, 0-based) and prints the attributes in effect at
its first character (bold, dim, reverse, underline, foreground and
background as the SGR sequences set them), one line: what a reader of the
screen sees there apart from the text. Exit 1 when TEXT is not on ROW.
"""
import re
import sys

SGR = re.compile(r'\x1b\[([0-9;:]*)m')


def apply(state, params):
    nums = [int(p) if p else 0 for p in re.split('[;:]', params)] or [0]
    i = 0
    while i < len(nums):
        p = nums[i]
        if p == 0:
            state.clear()
        elif p in (1, 2, 3, 4, 5, 7):
            state[p] = True
        elif p == 22:
            state.pop(1, None)
            state.pop(2, None)
        elif p in (23, 24, 25, 27):
            state.pop(p - 20, None)
        elif 30 <= p <= 37 or 90 <= p <= 97:
            state['fg'] = str(p)
        elif 40 <= p <= 47 or 100 <= p <= 107:
            state['bg'] = str(p)
        elif p == 39:
            state.pop('fg', None)
        elif p == 49:
            state.pop('bg', None)
        elif p in (38, 48):
            key = 'fg' if p == 38 else 'bg'
            if i + 1 < len(nums) and nums[i + 1] == 5:
                state[key] = '5;%d' % nums[i + 2]
                i += 2
            elif i + 1 < len(nums) and nums[i + 1] == 2:
                state[key] = '2;%s' % ';'.join(map(str, nums[i + 2:i + 5]))
                i += 4
        i += 1


def cells(line, state):
    out = []
    pos = 0
    for m in SGR.finditer(line):
        for ch in line[pos:m.start()]:
            out.append((ch, dict(state)))
        apply(state, m.group(1))
        pos = m.end()
    for ch in line[pos:]:
        out.append((ch, dict(state)))
    return out


def main():
    path, row, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    # The attributes carry over from the rows above.
    state = {}
    row_cells = []
    for n, line in enumerate(lines[:row], 1):
        row_cells = cells(line, state)
    chars = ''.join(ch for ch, _ in row_cells)
    at = chars.find(text, int(sys.argv[4]) if len(sys.argv) > 4 else 0)
    if at < 0:
        sys.exit(1)
    st = row_cells[at][1]
    names = {1: 'bold', 2: 'dim', 3: 'italic', 4: 'underline', 5: 'blink',
             7: 'reverse'}
    words = [names[k] for k in sorted(k for k in st if isinstance(k, int))]
    words.append('fg=' + st.get('fg', 'default'))
    words.append('bg=' + st.get('bg', 'default'))
    print(' '.join(words))


main()

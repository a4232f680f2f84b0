// Predict, then reveal: the open question, a button per answer, the class's tally as bars, and the
// reveal with the engine's answer and the dry run's numbers. Text only (textContent); the answer comes
// from the server, never from this page.
import { formatNumber } from './format.js';

export class QuestionCard {
  // root: the card element; on: {answer(choice), reveal(), close()}
  constructor(root, on) {
    this.root = root;
    this.on = on;
  }

  // q: the server's question {id, prompt, choices, tally, revealed, answer?, numbers?} or null;
  // mine: the choice this page sent, if any; owner: may this page reveal (it holds the network's key)
  render(q, mine, owner) {
    const root = this.root;
    root.hidden = !q;
    if (!q) return;
    const total = Object.values(q.tally).reduce((a, b) => a + b, 0);
    const el = (tag, cls, text) => {
      const node = document.createElement(tag);
      if (cls) node.className = cls;
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const parts = [el('p', 'prompt', q.prompt)];
    const choices = el('div', 'choices');
    for (const choice of q.choices) {
      const button = el('button', 'choice', choice);
      button.type = 'button';
      button.dataset.choice = choice;
      button.disabled = q.revealed;
      button.setAttribute('aria-pressed', String(mine === choice));
      if (q.revealed && choice === q.answer) button.classList.add('correct');
      button.addEventListener('click', () => this.on.answer(choice));
      const votes = q.tally[choice] || 0;
      const bar = el('span', 'tally', `${votes}`);
      bar.style.setProperty('--share', total ? String(votes / total) : '0');
      bar.dataset.testid = `tally-${choice}`;
      button.append(bar);
      choices.append(button);
    }
    const counts = q.choices.map((c) => `${c} ${q.tally[c] || 0}`).join(' · ');
    parts.push(choices, el('p', 'count', `${total} answer${total === 1 ? '' : 's'}: ${counts}`));
    if (q.revealed) {
      const shown = Object.entries(q.numbers || {}).map(([k, v]) => (typeof v === 'number'
        ? `${k} ${formatNumber(v)}`
        : `${k}: ${Object.entries(v).map(([n, x]) => `${n} ${formatNumber(x)}`).join(', ')}`));
      parts.push(el('p', 'answer', `The engine's answer: ${q.answer}`), el('p', 'numbers small', shown.join(' · ')));
    } else if (owner) {
      const reveal = el('button', 'reveal', 'reveal');
      reveal.type = 'button';
      reveal.addEventListener('click', () => this.on.reveal());
      parts.push(reveal);
    }
    const close = el('button', 'close', '×');
    close.type = 'button';
    close.setAttribute('aria-label', 'close the question');
    close.addEventListener('click', () => this.on.close());
    parts.push(close);
    root.replaceChildren(...parts);
  }
}

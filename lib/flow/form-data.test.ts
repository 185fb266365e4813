import { describe, expect, it } from 'vitest';
import { formDataToObject } from './form-data';

describe('formDataToObject', () => {
  it('keeps single values as strings and repeated names as arrays', () => {
    const data = new FormData();
    data.append('given_name', 'Ada');
    data.append('topics', 'news');
    data.append('topics', 'offers');
    expect(formDataToObject(data)).toEqual({ given_name: 'Ada', topics: ['news', 'offers'] });
  });

  it("drops React's $ACTION fields and files", () => {
    const data = new FormData();
    data.append('$ACTION_ID_abc', '');
    data.append('upload', new Blob(['x']), 'x.txt');
    data.append('accept', 'on');
    expect(formDataToObject(data)).toEqual({ accept: 'on' });
  });
});
